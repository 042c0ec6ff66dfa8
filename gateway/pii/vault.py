"""The pseudonym vault: maps ``<PERSON_3f9a2c>`` back to its original for the API key that sent it.

Originals are held encrypted (AES-256-GCM under a key made at start-up and never written anywhere), with
the tenant, key id and token as associated data: an entry can only be opened by the lookup it was stored
for. Entries expire after ``ttl_s``; the map is bounded and guarded by a lock because the redact stage
stores from worker threads while restore reads on the event loop.
"""

from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_NONCE_BYTES = 12


@dataclass(frozen=True)
class _Sealed:
    expires_at: float
    nonce: bytes
    ciphertext: bytes


class PseudonymVault:
    def __init__(
        self,
        ttl_s: float = 3600.0,
        max_entries: int = 200_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._aead = AESGCM(AESGCM.generate_key(bit_length=256))
        self._ttl_s = ttl_s
        self._max_entries = max_entries
        self._clock = clock
        self._entries: OrderedDict[tuple[str, str, str], _Sealed] = OrderedDict()
        self._lock = threading.Lock()

    def store(self, tenant_id: str, key_id: str, token: str, original: str) -> None:
        nonce = os.urandom(_NONCE_BYTES)
        aad = _associated_data(tenant_id, key_id, token)
        sealed = _Sealed(
            self._clock() + self._ttl_s, nonce, self._aead.encrypt(nonce, original.encode(), aad)
        )
        with self._lock:
            self._entries[(tenant_id, key_id, token)] = sealed
            self._entries.move_to_end((tenant_id, key_id, token))
            self._evict()

    def lookup(self, tenant_id: str, key_id: str, token: str) -> str | None:
        with self._lock:
            sealed = self._entries.get((tenant_id, key_id, token))
        if sealed is None or sealed.expires_at <= self._clock():
            return None
        aad = _associated_data(tenant_id, key_id, token)
        return self._aead.decrypt(sealed.nonce, sealed.ciphertext, aad).decode()

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def _evict(self) -> None:
        # Oldest first: entries are moved to the end whenever they are stored again.
        now = self._clock()
        while self._entries:
            key, oldest = next(iter(self._entries.items()))
            if oldest.expires_at > now and len(self._entries) <= self._max_entries:
                break
            del self._entries[key]


def _associated_data(tenant_id: str, key_id: str, token: str) -> bytes:
    return b"\x00".join((tenant_id.encode(), key_id.encode(), token.encode()))
