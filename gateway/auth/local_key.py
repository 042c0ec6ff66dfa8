"""Signing keys kept under ``BULWARK_HOME/secrets`` (0600): ES256 on P-256, generated on first use.

The embedded default has no identity provider, so ``bulwark users token`` signs console tokens with one
such key; the gateway signs export manifests with another (never the same key: a manifest must never be
usable as a sign-in token, nor the reverse).
"""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from jose import jwk, jws, jwt

from gateway.home import write_private_file

ALGORITHM = "ES256"
SIGNING_KEY_FILE = "console-token-key.pem"
MANIFEST_KEY_NAME = "export-manifest-key.pem"


class LocalSigningKey:
    def __init__(self, pem: bytes) -> None:
        self._pem = pem
        public = jwk.construct(pem.decode(), ALGORITHM).public_key().to_dict()
        # RFC 7638-style thumbprint: a stable kid that changes whenever the key does.
        members = {name: public[name] for name in ("crv", "kty", "x", "y")}
        digest = hashlib.sha256(json.dumps(members, separators=(",", ":"), sort_keys=True).encode())
        self.kid = base64.urlsafe_b64encode(digest.digest()).decode().rstrip("=")[:22]
        self._public = {**public, "kid": self.kid, "use": "sig", "alg": ALGORITHM}

    @classmethod
    def load_or_create(cls, path: Path) -> LocalSigningKey:
        if not path.exists():
            private = ec.generate_private_key(ec.SECP256R1())
            pem = private.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
            write_private_file(path, pem.decode())
        return cls(path.read_bytes())

    def public_jwk(self) -> dict[str, Any]:
        return dict(self._public)

    def sign_token(self, claims: dict[str, Any]) -> str:
        token = jwt.encode(claims, self._pem.decode(), algorithm=ALGORITHM, headers={"kid": self.kid})
        return str(token)

    def sign_document(self, payload: dict[str, Any], content_type: str) -> str:
        """A compact JWS over ``payload`` (sorted JSON); ``typ`` keeps it apart from sign-in tokens."""
        body = json.dumps(payload, sort_keys=True, separators=(",", ":"))
        signed = jws.sign(
            body.encode(),
            self._pem.decode(),
            algorithm=ALGORITHM,
            headers={"kid": self.kid, "typ": content_type},
        )
        return str(signed)
