"""The compliance console: audit search, audited reveal, export, integrity, key management, web pages."""
