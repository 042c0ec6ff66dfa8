"""Stable per-tenant pseudonyms: ``<PERSON_3f9a2c>`` = HMAC(tenant key, type + normalized value).

The tenant key is itself an HMAC of the gateway's tenant secret, so two tenants never get the same
placeholder for the same person (they cannot correlate), and nobody without the secret can test a
guess ("is <PERSON_3f9a2c> John Smith?") offline.
"""

from __future__ import annotations

import hashlib
import hmac
import re

TOKEN_HEX_LENGTH = 6
TOKEN_PATTERN = re.compile(r"<([A-Z][A-Z0-9_]{1,39})_([0-9a-f]{6})>")
_NAME_PARTS = re.compile(r"[^\W\d_]+", re.UNICODE)
_ID_CHARS = re.compile(r"[^0-9a-z]")


def normalized(entity_type: str, value: str) -> str:
    """The same person or number written two ways gets one pseudonym.

    Names: case and order do not matter ("SMITH, John" == "John Smith"). Identifiers: separators do not
    matter ("123-45-6789" == "123 45 6789").
    """
    folded = value.casefold()
    if entity_type == "PERSON":
        return " ".join(sorted(_NAME_PARTS.findall(folded)))
    if entity_type in {"STREET_ADDRESS", "LOCATION", "DATE_TIME"}:
        return " ".join(folded.replace(",", " ").split())
    return _ID_CHARS.sub("", folded) or folded.strip()


class Pseudonymizer:
    def __init__(self, tenant_secret: bytes) -> None:
        self._secret = tenant_secret

    def _tenant_key(self, tenant_id: str) -> bytes:
        return hmac.new(
            self._secret, b"bulwark-pii-pseudonym\x00" + tenant_id.encode(), hashlib.sha256
        ).digest()

    def token(self, tenant_id: str, entity_type: str, value: str) -> str:
        message = f"{entity_type}\x00{normalized(entity_type, value)}".encode()
        digest = hmac.new(self._tenant_key(tenant_id), message, hashlib.sha256).hexdigest()
        return f"<{entity_type}_{digest[:TOKEN_HEX_LENGTH]}>"
