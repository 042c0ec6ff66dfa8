"""Where an issuer's public keys come from: a JWKS file on disk or the identity provider's JWKS URL."""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol

import httpx

Jwk = dict[str, Any]


class JwksUnavailable(RuntimeError):
    """The key set could not be read; verification fails closed."""


class KeySource(Protocol):
    async def keys(self, *, refresh: bool = False) -> Mapping[str, Jwk]:
        """Keys by ``kid``. ``refresh`` asks for a re-read (a token named an unknown kid)."""
        ...


def keys_by_kid(document: object) -> dict[str, Jwk]:
    if not isinstance(document, dict) or not isinstance(document.get("keys"), list):
        raise JwksUnavailable("a JWKS document is an object with a 'keys' list")
    found: dict[str, Jwk] = {}
    for key in document["keys"]:
        # A key without a kid cannot be pinned to a token, so it is never used.
        if isinstance(key, dict) and isinstance(key.get("kid"), str) and key.get("use", "sig") == "sig":
            found[key["kid"]] = key
    return found


class StaticKeys:
    """Keys held in memory (the gateway's own local issuer)."""

    def __init__(self, keys: list[Jwk]) -> None:
        self._keys = keys_by_kid({"keys": keys})

    async def keys(self, *, refresh: bool = False) -> Mapping[str, Jwk]:
        return self._keys


class JwksFile:
    """Re-read when the file changes, so a key rotation needs no restart."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._stamp: float | None = None
        self._keys: dict[str, Jwk] = {}

    async def keys(self, *, refresh: bool = False) -> Mapping[str, Jwk]:
        try:
            stamp = self.path.stat().st_mtime
            if stamp != self._stamp:
                self._keys = keys_by_kid(json.loads(self.path.read_text(encoding="utf-8")))
                self._stamp = stamp
        except (OSError, ValueError) as error:
            raise JwksUnavailable(f"cannot read JWKS file {self.path}") from error
        return self._keys


class JwksUrl:
    """Fetched from the IdP, cached; an unknown kid triggers at most one re-fetch per ``min_refresh_s``."""

    def __init__(
        self, url: str, client: httpx.AsyncClient, *, ttl_s: float = 300.0, min_refresh_s: float = 30.0
    ) -> None:
        self.url = url
        self._client = client
        self._ttl_s = ttl_s
        self._min_refresh_s = min_refresh_s
        self._fetched_at: float | None = None
        self._keys: dict[str, Jwk] = {}

    async def keys(self, *, refresh: bool = False) -> Mapping[str, Jwk]:
        now = time.monotonic()
        age = None if self._fetched_at is None else now - self._fetched_at
        if age is None or age > self._ttl_s or (refresh and age > self._min_refresh_s):
            try:
                response = await self._client.get(self.url)
                response.raise_for_status()
                self._keys = keys_by_kid(response.json())
            except (httpx.HTTPError, ValueError) as error:
                raise JwksUnavailable(f"cannot fetch JWKS from {self.url}") from error
            self._fetched_at = now
        return self._keys
