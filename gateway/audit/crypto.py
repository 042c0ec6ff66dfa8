"""AES-256-GCM for bodies (bound to their header) and for wrapping data keys (bound to key id and tenant)."""

from __future__ import annotations

import json
import os
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

KEY_BYTES = 32
NONCE_BYTES = 12


def new_key() -> bytes:
    return AESGCM.generate_key(bit_length=KEY_BYTES * 8)


def seal_body(key: bytes, body: dict[str, Any], header: bytes) -> tuple[bytes, bytes]:
    """Encrypt ``body`` with the canonical header as associated data: moved to another row, it fails."""
    nonce = os.urandom(NONCE_BYTES)
    plaintext = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    return nonce, AESGCM(key).encrypt(nonce, plaintext, header)


def open_body(key: bytes, nonce: bytes, ciphertext: bytes, header: bytes) -> dict[str, Any]:
    """Raises ``cryptography.exceptions.InvalidTag`` for a wrong key, a foreign header or altered bytes."""
    value = json.loads(AESGCM(key).decrypt(nonce, ciphertext, header))
    if not isinstance(value, dict):
        raise ValueError("an audit body is a JSON object")
    return value


def wrap_key(kek: bytes, data_key: bytes, context: bytes) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(kek).encrypt(nonce, data_key, context)


def unwrap_key(kek: bytes, wrapped: bytes, context: bytes) -> bytes:
    return AESGCM(kek).decrypt(wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:], context)
