"""Bulwark gateway: the FastAPI service apps, compliance officers and admins talk to."""
