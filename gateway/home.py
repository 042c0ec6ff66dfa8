"""``BULWARK_HOME``: the one directory that holds all state of the embedded default.

The SQLite database, generated secrets, signing keys and the model cache live here, so the directory and
every secret file in it are created owner-only (0700 / 0600).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path


class BulwarkHome:
    def __init__(self, root: Path) -> None:
        self.root = root.expanduser()

    @property
    def secrets_dir(self) -> Path:
        return self.root / "secrets"

    @property
    def models_dir(self) -> Path:
        return self.root / "models"

    def ensure(self, *, with_secrets: bool = True) -> None:
        for folder in (self.root, self.secrets_dir) if with_secrets else (self.root,):
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            os.chmod(folder, 0o700)

    def generated_secret(self, name: str) -> str:
        """Return the secret stored under ``name``, creating a random one on first use."""
        path = self.secrets_dir / name
        if not path.exists():
            create_private_file_once(path, secrets.token_urlsafe(48))
        return path.read_text(encoding="utf-8").strip()


def create_private_file_once(path: Path, content: str) -> None:
    """Create ``path`` (0600) unless it exists; of processes racing to create it, the first one wins and
    the others keep its content (two dev replicas starting together must not make two different keys)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(content)
    try:
        os.link(tmp, path)  # fails if the file exists, unlike os.replace
    except FileExistsError:
        pass
    finally:
        tmp.unlink()


def write_private_file(path: Path, content: str) -> None:
    """Create ``path`` with mode 0600 atomically; never leaves a world-readable window."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(content)
    os.replace(tmp, path)
