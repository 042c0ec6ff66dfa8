"""API keys against the real database (SQLite and PostgreSQL through the migrations)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from gateway.db.base import utc_now
from gateway.db.session import Database
from gateway.errors import AuthenticationFailed, InvalidRequest
from gateway.tenants import repository, service

PEPPER = b"pepper-" * 8


def test_created_key_authenticates_to_its_tenant(database: Database) -> None:
    with database.session() as session:
        issued = service.create_key(session, PEPPER, "st-mary", name="ehr")
    with database.session() as session:
        identity = service.authenticate(session, PEPPER, issued.key)
        stored = repository.get_key(session, issued.record.id)
    assert identity.tenant_id == "st-mary"
    assert identity.scopes == frozenset({"inference"})
    assert stored is not None and issued.key not in stored.secret_digest


@pytest.mark.parametrize("presented", [None, "", "bwk_nope", "Bearer x"])
def test_missing_or_malformed_key_is_refused(database: Database, presented: str | None) -> None:
    with database.session() as session, pytest.raises(AuthenticationFailed):
        service.authenticate(session, PEPPER, presented)


def test_revoked_key_is_refused(database: Database) -> None:
    with database.session() as session:
        issued = service.create_key(session, PEPPER, "acme")
    with database.session() as session:
        service.revoke_key(session, issued.record.id)
    with database.session() as session, pytest.raises(AuthenticationFailed):
        service.authenticate(session, PEPPER, issued.key)


def test_expired_key_is_refused(database: Database) -> None:
    with database.session() as session:
        issued = service.create_key(session, PEPPER, "acme", expires_in=timedelta(days=1))
        record = repository.get_key(session, issued.record.id)
        assert record is not None
        record.expires_at = utc_now() - timedelta(seconds=1)
    with database.session() as session, pytest.raises(AuthenticationFailed):
        service.authenticate(session, PEPPER, issued.key)


def test_key_under_another_pepper_is_refused(database: Database) -> None:
    with database.session() as session:
        issued = service.create_key(session, PEPPER, "acme")
    with database.session() as session, pytest.raises(AuthenticationFailed):
        service.authenticate(session, b"other-pepper-" * 4, issued.key)


def test_bad_tenant_id_and_duration_are_refused(database: Database) -> None:
    with database.session() as session, pytest.raises(InvalidRequest):
        service.create_key(session, PEPPER, "Bad Tenant!")
    with pytest.raises(InvalidRequest):
        service.parse_duration("ninety days")
    assert service.parse_duration("90d") == timedelta(days=90)
