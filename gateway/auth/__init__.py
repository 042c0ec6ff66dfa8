"""Console identity: JWT verification, roles, the local signing key of the embedded default."""
