"""The pseudonym vault: maps ``<PERSON_3f9a2c>`` back to its original for the API key that sent it.

Originals are held encrypted (AES-256-GCM) with the tenant, key id and token as associated data, so an
entry can only be opened by the lookup it was stored for, and entries expire after ``ttl_s``.

- ``PseudonymVault`` (embedded default): in this process, under a key made at start-up and never
  written anywhere; bounded, and guarded by a lock because stages run on several threads.
- ``RedisPseudonymVault`` (when ``BULWARK_REDIS_URL`` is set): shared by every gateway replica, so the
  answer is restored whichever replica serves it; the key is derived from the tenant secret, so Redis
  only ever holds ciphertext, and Redis' own expiry drops old entries.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import redis.asyncio as aioredis
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_NONCE_BYTES = 12


class Vault(Protocol):
    async def store_many(self, tenant_id: str, key_id: str, originals: dict[str, str]) -> None: ...

    async def lookup_many(self, tenant_id: str, key_id: str, tokens: set[str]) -> dict[str, str]: ...

    async def aclose(self) -> None: ...


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
        aad = associated_data(tenant_id, key_id, token)
        ciphertext = self._aead.encrypt(nonce, original.encode(), aad)
        sealed = _Sealed(self._clock() + self._ttl_s, nonce, ciphertext)
        with self._lock:
            self._entries[(tenant_id, key_id, token)] = sealed
            self._entries.move_to_end((tenant_id, key_id, token))
            self._evict()

    def lookup(self, tenant_id: str, key_id: str, token: str) -> str | None:
        with self._lock:
            sealed = self._entries.get((tenant_id, key_id, token))
        if sealed is None or sealed.expires_at <= self._clock():
            return None
        aad = associated_data(tenant_id, key_id, token)
        return self._aead.decrypt(sealed.nonce, sealed.ciphertext, aad).decode()

    async def store_many(self, tenant_id: str, key_id: str, originals: dict[str, str]) -> None:
        for token, original in originals.items():
            self.store(tenant_id, key_id, token, original)

    async def lookup_many(self, tenant_id: str, key_id: str, tokens: set[str]) -> dict[str, str]:
        found = {token: self.lookup(tenant_id, key_id, token) for token in tokens}
        return {token: original for token, original in found.items() if original is not None}

    async def aclose(self) -> None:
        with self._lock:
            self._entries.clear()

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


class RedisPseudonymVault:
    def __init__(self, url: str, tenant_secret: bytes, ttl_s: float = 3600.0, timeout_s: float = 2.0) -> None:
        self._redis = aioredis.Redis.from_url(url, socket_timeout=timeout_s, socket_connect_timeout=timeout_s)
        key = hmac.new(tenant_secret, b"bulwark-pii-vault-key", hashlib.sha256).digest()
        self._aead = AESGCM(key)
        self._name_key = hmac.new(tenant_secret, b"bulwark-pii-vault-name", hashlib.sha256).digest()
        self._ttl_s = max(1, int(ttl_s))

    def _name(self, tenant_id: str, key_id: str, token: str) -> str:
        # Keyed, so the Redis key space does not list which tenant and key sent which placeholder.
        digest = hmac.new(self._name_key, associated_data(tenant_id, key_id, token), hashlib.sha256)
        return "bulwark:pii:vault:" + digest.hexdigest()

    async def store_many(self, tenant_id: str, key_id: str, originals: dict[str, str]) -> None:
        if not originals:
            return
        async with self._redis.pipeline(transaction=False) as pipe:
            for token, original in originals.items():
                nonce = os.urandom(_NONCE_BYTES)
                aad = associated_data(tenant_id, key_id, token)
                sealed = nonce + self._aead.encrypt(nonce, original.encode(), aad)
                pipe.set(self._name(tenant_id, key_id, token), sealed, ex=self._ttl_s)
            await pipe.execute()

    async def lookup_many(self, tenant_id: str, key_id: str, tokens: set[str]) -> dict[str, str]:
        ordered = sorted(tokens)
        if not ordered:
            return {}
        values = await self._redis.mget([self._name(tenant_id, key_id, t) for t in ordered])
        found: dict[str, str] = {}
        for token, sealed in zip(ordered, values, strict=True):
            if isinstance(sealed, bytes) and len(sealed) > _NONCE_BYTES:
                aad = associated_data(tenant_id, key_id, token)
                nonce, ciphertext = sealed[:_NONCE_BYTES], sealed[_NONCE_BYTES:]
                found[token] = self._aead.decrypt(nonce, ciphertext, aad).decode()
        return found

    async def aclose(self) -> None:
        await self._redis.aclose()


def associated_data(tenant_id: str, key_id: str, token: str) -> bytes:
    return b"\x00".join((tenant_id.encode(), key_id.encode(), token.encode()))
