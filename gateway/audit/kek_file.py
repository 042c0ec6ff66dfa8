"""KEKs in a JSON ring file: ``{"current": id, "keys": {id: base64}}``.

``KekFile`` only reads: the file is mounted from a secret store (a Kubernetes Secret key), shared by every
replica, and re-read on every use, so a new KEK version added to the Secret reaches running replicas
without a restart. ``DevKekFile`` is dev mode's: it creates the file under ``BULWARK_HOME/secrets`` on
first use and rotates it itself.
"""

from __future__ import annotations

import base64
import binascii
import json
import secrets
from pathlib import Path

from gateway.audit import crypto
from gateway.audit.key_provider import KeyProviderError
from gateway.home import create_private_file_once, write_private_file


class KekFile:
    def __init__(self, path: Path) -> None:
        self.path = path

    def ring(self) -> tuple[str, dict[str, bytes]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError as error:
            raise KeyProviderError(f"the KEK file {self.path} is missing") from error
        except (OSError, ValueError) as error:
            raise KeyProviderError(f"the KEK file {self.path} is unreadable") from error
        raw = data.get("keys") if isinstance(data, dict) else None
        current = data.get("current") if isinstance(data, dict) else None
        if not isinstance(raw, dict) or not isinstance(current, str) or current not in raw:
            raise KeyProviderError(f"the KEK file {self.path} is malformed: 'current' must name a key")
        try:
            keys = {str(kid): base64.b64decode(value, validate=True) for kid, value in raw.items()}
        except (binascii.Error, TypeError) as error:
            raise KeyProviderError(f"the KEK file {self.path} holds a key that is not base64") from error
        if any(len(key) != crypto.KEY_BYTES for key in keys.values()):
            raise KeyProviderError(f"every KEK in {self.path} must be {crypto.KEY_BYTES} bytes")
        return current, keys

    def current_kek_id(self) -> str:
        return self.ring()[0]

    def wrap(self, data_key: bytes, context: bytes) -> tuple[str, bytes]:
        current, keys = self.ring()
        return current, crypto.wrap_key(keys[current], data_key, context)

    def unwrap(self, kek_id: str, wrapped: bytes, context: bytes) -> bytes:
        _, keys = self.ring()
        if kek_id not in keys:
            raise KeyProviderError(f"KEK {kek_id!r} is not available (retired or never held here)")
        return crypto.unwrap_key(keys[kek_id], wrapped, context)

    def kek_ids(self) -> list[str]:
        return sorted(self.ring()[1])


class DevKekFile(KekFile):
    """Dev mode only: creates the ring on first use and rotates it in place."""

    def ring(self) -> tuple[str, dict[str, bytes]]:
        if not self.path.exists():
            kek_id = new_kek_id()
            create_private_file_once(self.path, kek_ring_json(kek_id, {kek_id: crypto.new_key()}))
        return super().ring()

    def _save(self, current: str, keys: dict[str, bytes]) -> None:
        write_private_file(self.path, kek_ring_json(current, keys))

    def rotate(self) -> tuple[str, str]:
        current, keys = self.ring()
        new_id = new_kek_id()
        keys[new_id] = crypto.new_key()
        self._save(new_id, keys)
        return current, new_id

    def retire(self, kek_id: str) -> None:
        current, keys = self.ring()
        if kek_id == current:
            raise KeyProviderError("the current KEK cannot be retired")
        keys.pop(kek_id, None)
        self._save(current, keys)


def kek_ring_json(current: str, keys: dict[str, bytes]) -> str:
    """The ring file's text (what an operator stores in the Secret; see ``bulwark audit new-kek``)."""
    encoded = {kid: base64.b64encode(value).decode() for kid, value in keys.items()}
    return json.dumps({"current": current, "keys": encoded}, indent=2)


def new_kek_id() -> str:
    return f"kek_{secrets.token_hex(8)}"
