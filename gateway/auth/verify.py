"""Console token verification. Every check fails closed; the caller sees one generic 401.

Order matters: size first (nothing parses an oversized token), then the issuer's pinned algorithms and the
key named by ``kid`` are chosen *before* any signature check, so a token cannot pick its own algorithm
(``none``, or HS256 keyed with a public key) or its own key.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from jose import jwt
from jose.exceptions import JOSEError

from gateway.auth.jwks import JwksUnavailable, KeySource
from gateway.auth.principal import Principal, Role

MAX_TOKEN_BYTES = 8 * 1024
LEEWAY_S = 30  # clock skew tolerated between the IdP and the gateway
ROLES_CLAIM = "roles"
TENANTS_CLAIM = "tenants"
_ROLE_NAMES = frozenset(role.value for role in Role)
logger = logging.getLogger(__name__)


class TokenRejected(Exception):
    """Why a token was refused. For logs and tests only; never sent to the caller."""


@dataclass(frozen=True)
class TrustedIssuer:
    issuer: str
    algorithms: tuple[str, ...]
    keys: KeySource
    all_tenants_without_claim: bool = False


class TokenVerifier:
    def __init__(self, issuers: list[TrustedIssuer], audience: str) -> None:
        self._issuers = {trusted.issuer: trusted for trusted in issuers}
        self._audience = audience

    async def verify(self, token: str) -> Principal:
        if len(token.encode()) > MAX_TOKEN_BYTES:
            raise TokenRejected("token larger than 8 KB")
        try:
            header = jwt.get_unverified_header(token)
            unverified = jwt.get_unverified_claims(token)
        except JOSEError as error:
            raise TokenRejected("malformed token") from error
        trusted = self._issuers.get(str(unverified.get("iss")))
        if trusted is None:
            raise TokenRejected("untrusted issuer")
        algorithm = header.get("alg")
        if algorithm not in trusted.algorithms:
            raise TokenRejected(f"algorithm {algorithm!r} not pinned for this issuer")
        key = await self._key(trusted, header.get("kid"))
        if key.get("alg", algorithm) != algorithm:
            raise TokenRejected("key is bound to another algorithm")
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=[algorithm],
                audience=self._audience,
                issuer=trusted.issuer,
                options={
                    "require_exp": True,
                    "require_nbf": True,
                    "require_iss": True,
                    "require_aud": True,
                    "require_sub": True,
                    "leeway": LEEWAY_S,
                },
            )
        except JOSEError as error:
            # jose's messages name the failed check (never token content).
            raise TokenRejected(f"{type(error).__name__}: {error}") from error
        return principal_from_claims(trusted.issuer, claims, trusted.all_tenants_without_claim)

    async def _key(self, trusted: TrustedIssuer, kid: object) -> dict[str, Any]:
        if not isinstance(kid, str):
            raise TokenRejected("token names no kid")
        try:
            keys = await trusted.keys.keys()
            if kid not in keys:
                keys = await trusted.keys.keys(refresh=True)
        except JwksUnavailable as error:
            logger.warning("JWKS unavailable for issuer %s", trusted.issuer)
            raise TokenRejected("key set unavailable") from error
        if kid not in keys:
            raise TokenRejected("unknown kid")
        return dict(keys[kid])


def principal_from_claims(
    issuer: str, claims: dict[str, Any], all_tenants_without_claim: bool = False
) -> Principal:
    roles = claims.get(ROLES_CLAIM, [])
    tenants = claims.get(TENANTS_CLAIM)
    if not isinstance(roles, list) or not all(isinstance(role, str) for role in roles):
        raise TokenRejected("roles claim is not a list of strings")
    if tenants is not None and (
        not isinstance(tenants, list) or not all(isinstance(t, str) for t in tenants)
    ):
        raise TokenRejected("tenants claim is not a list of strings")
    known = frozenset(Role(role) for role in roles if role in _ROLE_NAMES)
    # Fail closed: an absent claim is "no tenant", never "every tenant", unless the issuer's config says so.
    scope: frozenset[str] | None = frozenset(tenants) if tenants is not None else frozenset()
    if tenants is None and all_tenants_without_claim:
        scope = None
    return Principal(subject=str(claims["sub"]), issuer=issuer, roles=known, tenants=scope)
