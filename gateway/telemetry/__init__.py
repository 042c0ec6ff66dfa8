"""Traces and metrics for the gateway: set up once at start-up, carrying ids and codes, never content."""
