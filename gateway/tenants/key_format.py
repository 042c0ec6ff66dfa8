"""API key format ``bwk_<public id>_<secret><checksum>`` and its keyed digest.

The public id finds the row without a secret comparison; the checksum (CRC32 of everything before it)
lets the gateway and secret scanners reject typos and random strings cheaply; only
HMAC-SHA256(pepper, secret) is stored, compared in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import zlib
from dataclasses import dataclass

PREFIX = "bwk"
_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
PUBLIC_ID_LENGTH = 12
SECRET_LENGTH = 32
CHECKSUM_LENGTH = 6


@dataclass(frozen=True)
class ParsedKey:
    public_id: str
    secret: str


def _random_base62(length: int) -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


def _base62(number: int, width: int) -> str:
    digits = []
    for _ in range(width):
        number, remainder = divmod(number, 62)
        digits.append(_ALPHABET[remainder])
    return "".join(reversed(digits))


def _checksum(body: str) -> str:
    return _base62(zlib.crc32(body.encode("ascii")), CHECKSUM_LENGTH)


def new_key() -> tuple[str, ParsedKey]:
    """Return the full key (shown once) and its parts."""
    public_id = _random_base62(PUBLIC_ID_LENGTH)
    secret = _random_base62(SECRET_LENGTH)
    body = f"{PREFIX}_{public_id}_{secret}"
    return body + _checksum(body), ParsedKey(public_id, secret)


def parse_key(candidate: str) -> ParsedKey | None:
    """Parse a presented key; ``None`` for anything malformed or with a wrong checksum."""
    parts = candidate.split("_")
    if len(parts) != 3 or parts[0] != PREFIX:
        return None
    public_id, tail = parts[1], parts[2]
    if len(public_id) != PUBLIC_ID_LENGTH or len(tail) != SECRET_LENGTH + CHECKSUM_LENGTH:
        return None
    if not all(c in _ALPHABET for c in public_id + tail):
        return None
    secret, checksum = tail[:SECRET_LENGTH], tail[SECRET_LENGTH:]
    if not hmac.compare_digest(checksum, _checksum(f"{PREFIX}_{public_id}_{secret}")):
        return None
    return ParsedKey(public_id, secret)


def secret_digest(pepper: bytes, secret: str) -> str:
    return hmac.new(pepper, secret.encode("ascii"), hashlib.sha256).hexdigest()


def digest_matches(pepper: bytes, secret: str, stored_digest: str) -> bool:
    return hmac.compare_digest(secret_digest(pepper, secret), stored_digest)
