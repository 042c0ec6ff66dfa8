"""Bulwark inference engine: an OpenAI-compatible server over torch + transformers."""
