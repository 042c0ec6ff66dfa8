"""API key rules: issue, authenticate, revoke. Services take the session explicitly."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from gateway.audit.events import AuditEvent
from gateway.audit.writer import add_record
from gateway.db.base import utc_now
from gateway.errors import AuthenticationFailed, InvalidRequest, NotFound
from gateway.tenants import repository
from gateway.tenants.key_format import ParsedKey, digest_matches, new_key, parse_key, secret_digest
from gateway.tenants.models import ApiKey, Tenant

KNOWN_SCOPES = frozenset({"inference", "admin"})
_TENANT_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
_DURATION = re.compile(r"^(\d+)([mhdw])$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


@dataclass(frozen=True)
class KeyIdentity:
    """Who is calling: the result of authenticating an API key."""

    key_id: str
    tenant_id: str
    scopes: frozenset[str]


@dataclass(frozen=True)
class IssuedKey:
    key: str  # shown once, never stored
    record: ApiKey


def parse_duration(text: str) -> timedelta:
    match = _DURATION.match(text.strip())
    if match is None:
        raise InvalidRequest(f"Invalid duration {text!r}: use e.g. 90d, 12h, 30m or 2w", param="expires")
    amount, unit = int(match.group(1)), match.group(2)
    return timedelta(**{_UNITS[unit]: amount})


def ensure_tenant(session: Session, tenant_id: str, name: str | None = None) -> Tenant:
    if not _TENANT_ID.match(tenant_id):
        raise InvalidRequest(
            "Tenant ids are lowercase letters, digits and '-', at most 63 characters",
            param="tenant",
        )
    tenant = repository.get_tenant(session, tenant_id)
    if tenant is None:
        tenant = Tenant(id=tenant_id, name=name or tenant_id)
        session.add(tenant)
        session.flush()
    return tenant


def create_key(
    session: Session,
    pepper: bytes,
    tenant_id: str,
    *,
    name: str = "",
    scopes: frozenset[str] = frozenset({"inference"}),
    expires_in: timedelta | None = None,
    actor: str | None = None,
) -> IssuedKey:
    """Issue a key. With ``actor``, its ``key.created`` audit record commits in the same transaction, so a
    key never exists without the record of who made it."""
    unknown = scopes - KNOWN_SCOPES
    if unknown:
        raise InvalidRequest(f"Unknown scope(s): {', '.join(sorted(unknown))}", param="scopes")
    ensure_tenant(session, tenant_id)
    key, parsed = new_key()
    record = ApiKey(
        id=parsed.public_id,
        tenant_id=tenant_id,
        name=name,
        scopes=" ".join(sorted(scopes)),
        secret_digest=secret_digest(pepper, parsed.secret),
        created_at=utc_now(),
        expires_at=utc_now() + expires_in if expires_in else None,
    )
    session.add(record)
    session.flush()
    if actor is not None:
        _record_key_event(session, "key.created", record, actor)
    return IssuedKey(key=key, record=record)


def revoke_key(session: Session, key_id: str, *, actor: str | None = None) -> ApiKey:
    """Revoke a key; with ``actor``, the ``key.revoked`` record commits with the revocation."""
    record = repository.get_key(session, key_id)
    if record is None:
        raise NotFound(f"No API key with id {key_id!r}", param="key_id")
    if record.revoked_at is None:
        record.revoked_at = utc_now()
    if actor is not None:
        _record_key_event(session, "key.revoked", record, actor)
    return record


def _record_key_event(session: Session, event_type: str, key: ApiKey, actor: str) -> None:
    event = AuditEvent(
        event_type=event_type, outcome="ok", tenant_id=key.tenant_id, key_id=key.id, actor=actor
    )
    add_record(session, event)


@dataclass(frozen=True)
class StoredKey:
    """What authenticating a key needs from its row: the secret's digest, never the secret itself."""

    key_id: str
    tenant_id: str
    scopes: frozenset[str]
    secret_digest: str
    revoked: bool
    expires_at: datetime | None


def parse_presented(presented: str | None) -> ParsedKey:
    """The presented key's parts; a missing or malformed key is refused before any lookup."""
    if not presented:
        raise AuthenticationFailed(
            "Missing API key. Send it as 'Authorization: Bearer bwk_...'.", code="missing_api_key"
        )
    parsed = parse_key(presented)
    if parsed is None:
        raise _refused()
    return parsed


def stored_key(session: Session, public_id: str) -> StoredKey | None:
    record = repository.get_key(session, public_id)
    if record is None:
        return None
    return StoredKey(
        record.id,
        record.tenant_id,
        record.scope_set,
        record.secret_digest,
        record.revoked_at is not None,
        record.expires_at,
    )


def check_presented(stored: StoredKey | None, pepper: bytes, parsed: ParsedKey) -> KeyIdentity:
    """The identity of a presented key against its stored row; every failure reads the same."""
    if stored is None or not digest_matches(pepper, parsed.secret, stored.secret_digest):
        raise _refused()
    if stored.revoked or _expired(stored.expires_at):
        raise _refused()
    return KeyIdentity(stored.key_id, stored.tenant_id, stored.scopes)


def authenticate(session: Session, pepper: bytes, presented: str | None) -> KeyIdentity:
    """Resolve a presented key to its identity; every failure reads the same to the caller."""
    parsed = parse_presented(presented)
    return check_presented(stored_key(session, parsed.public_id), pepper, parsed)


def _refused() -> AuthenticationFailed:
    return AuthenticationFailed(
        "Incorrect, revoked or expired API key. Send a valid key as 'Authorization: Bearer bwk_...'."
    )


def _expired(expires_at: datetime | None) -> bool:
    return expires_at is not None and expires_at <= utc_now()
