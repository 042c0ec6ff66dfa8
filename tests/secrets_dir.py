"""A complete production secrets directory, as a Kubernetes Secret would mount it (one file per key)."""

from __future__ import annotations

import secrets
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from gateway.audit.checkpoints import new_signing_key_pem
from gateway.audit.new_kek import add_to_ring
from gateway.secret_files import KEK_FILE, MANIFEST_KEY_FILE, SIGNING_KEY_FILE


def write_secrets_dir(folder: Path, *, with_kek: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "key_pepper").write_text(secrets.token_urlsafe(48))
    (folder / "tenant_secret").write_text(secrets.token_urlsafe(48))
    (folder / SIGNING_KEY_FILE).write_text(new_signing_key_pem())
    manifest = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    (folder / MANIFEST_KEY_FILE).write_bytes(manifest)
    if with_kek:
        add_to_ring(folder / KEK_FILE)
    return folder


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes: proves a process created or changed none."""
    return {str(path.relative_to(folder)): path.read_bytes() for path in folder.rglob("*") if path.is_file()}
