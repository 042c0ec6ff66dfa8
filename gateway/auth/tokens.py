"""Tokens of the embedded default's local issuer (``bulwark users token``, the demo login of ``bulwark up``)."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

from gateway.auth.issuer_config import LOCAL_ISSUER
from gateway.auth.local_key import SIGNING_KEY_FILE, LocalSigningKey
from gateway.auth.principal import Role
from gateway.home import BulwarkHome
from gateway.settings import Settings

DEFAULT_TTL = timedelta(hours=1)


def local_token_key(settings: Settings) -> LocalSigningKey:
    return LocalSigningKey.load_or_create(BulwarkHome(settings.home).secrets_dir / SIGNING_KEY_FILE)


def local_issuer_enabled(settings: Settings) -> bool:
    return settings.dev_mode if settings.jwt_local_issuer is None else settings.jwt_local_issuer


def issue_local_token(
    settings: Settings,
    subject: str,
    roles: list[Role],
    tenants: list[str] | None = None,
    ttl: timedelta = DEFAULT_TTL,
) -> str:
    now = datetime.now(UTC)
    claims: dict[str, object] = {
        "iss": LOCAL_ISSUER,
        "aud": settings.jwt_audience,
        "sub": subject,
        "roles": [role.value for role in roles],
        "iat": int(now.timestamp()),
        "nbf": int(now.timestamp()),
        "exp": int((now + ttl).timestamp()),
        "jti": secrets.token_hex(8),
    }
    if tenants:
        claims["tenants"] = tenants
    return local_token_key(settings).sign_token(claims)


DEMO_TTL = timedelta(hours=8)


def demo_console_token(settings: Settings) -> str:
    """The console login ``bulwark up`` prints: a compliance officer of every tenant, for one working day."""
    return issue_local_token(settings, "demo-officer", [Role.COMPLIANCE_OFFICER], None, DEMO_TTL)
