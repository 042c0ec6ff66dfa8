"""Key material outside dev mode: files mounted from the site's secret store, never created here.

A Kubernetes Secret (or a Vault agent, or a root-owned 0700 directory) is mounted at
``BULWARK_SECRETS_DIR`` (default ``BULWARK_HOME/secrets``), one file per key, the file name being the
Secret's key. Every replica mounts the same Secret, so all hold the same pepper, tenant secret, KEKs and
checkpoint signing key. Dev mode alone generates these files (``bulwark up``).
"""

from __future__ import annotations

from pathlib import Path

# File names inside BULWARK_SECRETS_DIR (the Secret's keys); besides these, key_pepper and tenant_secret.
KEK_FILE = "audit-kek.json"  # {"current": id, "keys": {id: base64}} (bulwark audit new-kek prints one)
SIGNING_KEY_FILE = "audit-signing.pem"  # Ed25519 private key, PKCS#8 PEM
PKCS11_PIN_FILE = "pkcs11_pin"  # the HSM user PIN, when BULWARK_PKCS11_PIN is not set
MANIFEST_KEY_FILE = "export-manifest-key.pem"  # ES256 (P-256) key that signs console export manifests


class SecretFiles:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, name: str) -> Path:
        return self.root / name

    def read(self, name: str) -> str | None:
        path = self.path(name)
        return path.read_text(encoding="utf-8").strip() if path.is_file() else None

    def missing(self, name: str) -> str | None:
        """A start-up refusal naming the variable, or None when the file is there."""
        if self.path(name).is_file():
            return None
        return f"{name} is missing from BULWARK_SECRETS_DIR ({self.root})"
