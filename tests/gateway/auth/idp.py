"""A site identity provider for tests: an RSA key pair, its JWKS, and a token minter.

Real keys and real signatures; only the IdP's login screen is skipped (the console never sees it).
"""

from __future__ import annotations

import base64
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jose import jwk, jwt

from gateway.auth.issuer_config import IssuerConfig

AUDIENCE = "bulwark-console"


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@dataclass
class RsaKey:
    kid: str
    private_pem: str
    public_pem: str

    @classmethod
    def generate(cls, kid: str) -> RsaKey:
        private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        private_pem = private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ).decode()
        public_pem = (
            private.public_key()
            .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
            .decode()
        )
        return cls(kid, private_pem, public_pem)

    def public_jwk(self) -> dict[str, Any]:
        return {**jwk.construct(self.public_pem, "RS256").to_dict(), "kid": self.kid, "use": "sig"}


class TestIdentityProvider:
    __test__ = False  # not a test class, despite the name

    def __init__(self, issuer: str, jwks_path: Path) -> None:
        self.issuer = issuer
        self.key = RsaKey.generate("idp-key-1")
        self.jwks_path = jwks_path
        jwks_path.write_text(json.dumps(self.jwks()))

    def jwks(self) -> dict[str, Any]:
        return {"keys": [self.key.public_jwk()]}

    def config(self) -> IssuerConfig:
        return IssuerConfig(issuer=self.issuer, jwks_file=self.jwks_path)

    def claims(self, roles: list[str], tenants: list[str] | None = None, **overrides: Any) -> dict[str, Any]:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "aud": AUDIENCE,
            "sub": "officer-1",
            "roles": roles,
            "iat": now,
            "nbf": now,
            "exp": now + 600,
        }
        if tenants is not None:
            claims["tenants"] = tenants
        claims.update(overrides)
        return {name: value for name, value in claims.items() if value is not None}

    def sign(self, claims: dict[str, Any], key: RsaKey | None = None, **headers: Any) -> str:
        signing = key or self.key
        token = jwt.encode(
            claims, signing.private_pem, algorithm="RS256", headers={"kid": signing.kid, **headers}
        )
        return str(token)

    def token(self, roles: list[str], tenants: list[str] | None = None, **overrides: Any) -> str:
        return self.sign(self.claims(roles, tenants, **overrides))


def unsigned_token(header: dict[str, Any], claims: dict[str, Any], signature: bytes = b"") -> str:
    """Assemble a JWS by hand, for forgeries no honest library would produce."""
    parts = [b64url(json.dumps(header).encode()), b64url(json.dumps(claims).encode())]
    return ".".join([*parts, b64url(signature)])
