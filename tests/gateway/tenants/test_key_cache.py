"""The request path's key cache against the real database: a cached row saves the read, never the
checks (secret, revocation within the ttl, expiry), and a revocation here is seen at once."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from gateway.db.base import utc_now
from gateway.db.session import Database
from gateway.errors import AuthenticationFailed
from gateway.tenants import repository, service
from gateway.tenants.key_cache import KeyAuthenticator
from gateway.tenants.key_format import new_key

PEPPER = b"pepper-" * 8


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _issue(database: Database, expires_in: timedelta | None = None) -> service.IssuedKey:
    with database.session() as session:
        return service.create_key(session, PEPPER, "acme", expires_in=expires_in)


def _revoke(database: Database, key_id: str) -> None:
    with database.session() as session:
        service.revoke_key(session, key_id)


def _authenticate(keys: KeyAuthenticator, presented: str) -> service.KeyIdentity:
    return asyncio.run(keys.authenticate(presented))


def test_revoked_elsewhere_is_refused_once_the_ttl_passed(database: Database) -> None:
    clock = Clock()
    keys = KeyAuthenticator(database, PEPPER, ttl_s=1.0, clock=clock)
    issued = _issue(database)
    assert _authenticate(keys, issued.key).tenant_id == "acme"
    _revoke(database, issued.record.id)  # as the CLI or another replica would
    clock.now += 0.5
    assert _authenticate(keys, issued.key).tenant_id == "acme"  # the row read 0.5 s ago still serves
    clock.now += 0.5
    with pytest.raises(AuthenticationFailed):
        _authenticate(keys, issued.key)


def test_revoked_through_this_process_is_refused_at_once(database: Database) -> None:
    keys = KeyAuthenticator(database, PEPPER, ttl_s=3600, clock=Clock())
    issued = _issue(database)
    _authenticate(keys, issued.key)
    _revoke(database, issued.record.id)
    keys.forget(issued.record.id)
    with pytest.raises(AuthenticationFailed):
        _authenticate(keys, issued.key)


def test_a_cached_row_still_checks_the_secret_and_the_expiry(database: Database) -> None:
    clock = Clock()
    keys = KeyAuthenticator(database, PEPPER, ttl_s=3600, clock=clock)
    issued = _issue(database, expires_in=timedelta(days=1))
    _authenticate(keys, issued.key)
    wrong_secret = issued.key[:-8] + ("A" if issued.key[-8] != "A" else "B") + issued.key[-7:]
    with pytest.raises(AuthenticationFailed):
        _authenticate(keys, wrong_secret)
    with database.session() as session:
        record = repository.get_key(session, issued.record.id)
        assert record is not None
        record.expires_at = utc_now() - timedelta(seconds=1)
    keys.forget(issued.record.id)
    with pytest.raises(AuthenticationFailed):
        _authenticate(keys, issued.key)


def test_unknown_keys_are_not_kept_and_the_cache_is_bounded(database: Database) -> None:
    keys = KeyAuthenticator(database, PEPPER, ttl_s=3600, max_keys=2, clock=Clock())
    issued = [_issue(database) for _ in range(3)]
    for key in issued:
        _authenticate(keys, key.key)
    _revoke(database, issued[0].record.id)
    # The oldest row was pushed out by the third: its revocation is read from the database.
    with pytest.raises(AuthenticationFailed):
        _authenticate(keys, issued[0].key)
    unknown, _ = new_key()
    with pytest.raises(AuthenticationFailed):
        _authenticate(keys, unknown)
    _revoke(database, issued[2].record.id)
    assert _authenticate(keys, issued[2].key).tenant_id == "acme"  # still cached: unknown kept nothing out


def test_ttl_zero_reads_every_time(database: Database) -> None:
    keys = KeyAuthenticator(database, PEPPER, ttl_s=0, clock=Clock())
    issued = _issue(database)
    _authenticate(keys, issued.key)
    _revoke(database, issued.record.id)
    with pytest.raises(AuthenticationFailed):
        _authenticate(keys, issued.key)
