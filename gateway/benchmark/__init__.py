"""`bulwark bench`: load a site's own OpenAI-compatible deployment and report what it delivers."""
