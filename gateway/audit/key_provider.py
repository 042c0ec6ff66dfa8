"""Key-encryption keys (KEKs) come from a provider; the database only ever sees wrapped data keys.

The default provider keeps KEKs in a local JSON file (0600, under ``BULWARK_HOME/secrets``, never in the
database). A Vault-transit or KMS provider implements the same four verbs.
"""

from __future__ import annotations

import base64
import json
import secrets
from pathlib import Path
from typing import Protocol

from gateway.audit import crypto
from gateway.home import write_private_file


class KeyProviderError(RuntimeError):
    """The KEK needed is missing or the key file is unusable; the message never contains key material."""


class KeyProvider(Protocol):
    def wrap(self, data_key: bytes, context: bytes) -> tuple[str, bytes]:
        """Wrap under the current KEK; returns (kek id, wrapped bytes)."""
        ...

    def unwrap(self, kek_id: str, wrapped: bytes, context: bytes) -> bytes: ...

    def rotate(self) -> tuple[str, str]:
        """Make a new current KEK, keeping the old one until retired; returns (old id, new id)."""
        ...

    def retire(self, kek_id: str) -> None: ...


class LocalKeyFileProvider:
    """KEKs in a JSON file: ``{"current": id, "keys": {id: base64}}``. Re-read on every use, so a
    rotation made by the CLI reaches a running gateway without a restart."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _load(self) -> dict[str, object]:
        if not self.path.exists():
            kek_id = _new_kek_id()
            self._save(kek_id, {kek_id: crypto.new_key()})
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise KeyProviderError(f"the KEK file {self.path} is unreadable") from error
        if not isinstance(data, dict) or not isinstance(data.get("keys"), dict):
            raise KeyProviderError(f"the KEK file {self.path} is malformed")
        return data

    def _keys(self) -> tuple[str, dict[str, bytes]]:
        data = self._load()
        raw = data["keys"]
        assert isinstance(raw, dict)
        keys = {str(kid): base64.b64decode(value) for kid, value in raw.items()}
        return str(data["current"]), keys

    def _save(self, current: str, keys: dict[str, bytes]) -> None:
        encoded = {kid: base64.b64encode(value).decode() for kid, value in keys.items()}
        write_private_file(self.path, json.dumps({"current": current, "keys": encoded}, indent=2))

    def wrap(self, data_key: bytes, context: bytes) -> tuple[str, bytes]:
        current, keys = self._keys()
        return current, crypto.wrap_key(keys[current], data_key, context)

    def unwrap(self, kek_id: str, wrapped: bytes, context: bytes) -> bytes:
        _, keys = self._keys()
        if kek_id not in keys:
            raise KeyProviderError(f"KEK {kek_id!r} is not available (retired or never held here)")
        return crypto.unwrap_key(keys[kek_id], wrapped, context)

    def rotate(self) -> tuple[str, str]:
        current, keys = self._keys()
        new_id = _new_kek_id()
        keys[new_id] = crypto.new_key()
        self._save(new_id, keys)
        return current, new_id

    def retire(self, kek_id: str) -> None:
        current, keys = self._keys()
        if kek_id == current:
            raise KeyProviderError("the current KEK cannot be retired")
        keys.pop(kek_id, None)
        self._save(current, keys)

    def kek_ids(self) -> list[str]:
        return sorted(self._keys()[1])


def _new_kek_id() -> str:
    return f"kek_{secrets.token_hex(8)}"
