"""Purge and crypto-shredding: bodies go, headers and the chain stay, every act is accounted for."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select, text

from gateway.audit import retention
from gateway.audit.models import AuditBody, AuditDataKey
from gateway.audit.repository import BodyUnavailable, read_body
from tests.gateway.audit.conftest import Ledger, request_event


def _bodies(ledger: Ledger) -> int:
    with ledger.database.session() as session:
        return int(session.scalar(select(func.count()).select_from(AuditBody)) or 0)


def test_purge_deletes_bodies_past_retention_and_the_chain_still_verifies(ledger: Ledger) -> None:
    for n in range(6):
        ledger.writer.write(request_event(("acme", "globex")[n % 2], n))
    with ledger.database.session() as session:
        retention.set_retention(session, "acme", 0, "test")
    results = retention.purge_expired(ledger.database, 3650, "test")
    assert [(r.tenant_id, r.bodies_deleted) for r in results] == [("acme", 3)]
    assert _bodies(ledger) == 3
    with ledger.database.session() as session:
        with pytest.raises(BodyUnavailable, match="purged"):
            read_body(session, ledger.keyring, "acme", 1)
        assert read_body(session, ledger.keyring, "globex", 2)["completion"] == "hi"
    ledger.checkpointer.checkpoint()
    assert ledger.verify().ok


def test_legal_hold_blocks_purge_and_shred(ledger: Ledger) -> None:
    ledger.writer.write(request_event("acme", 1))
    with ledger.database.session() as session:
        retention.set_retention(session, "acme", 0, "test")
        retention.set_legal_hold(session, "acme", True, "test")
    assert retention.purge_expired(ledger.database, 3650, "test") == []
    with pytest.raises(retention.LegalHold), ledger.database.session() as session:
        retention.shred(session, "acme", "test")
    assert _bodies(ledger) == 1
    with ledger.database.session() as session:
        assert session.scalar(select(func.count()).select_from(AuditDataKey)) == 1
        retention.set_legal_hold(session, "acme", False, "test")
    with ledger.database.session() as session:
        assert retention.shred(session, "acme", "test")
    assert ledger.verify().ok


def test_shred_makes_bodies_unreadable_and_the_chain_still_verifies(ledger: Ledger) -> None:
    for n in range(4):
        ledger.writer.write(request_event(("acme", "globex")[n % 2], n))
    with ledger.database.session() as session:
        destroyed = retention.shred(session, "acme", "test")
    assert len(destroyed) == 1
    with ledger.database.session() as session:
        with pytest.raises(BodyUnavailable, match="shredded"):
            read_body(session, ledger.keyring, "acme", 1)
        assert read_body(session, ledger.keyring, "globex", 2)
    assert all(key_id not in destroyed for key_id, _ in ledger.keyring._unwrapped)  # gone from memory too
    ledger.writer.write(request_event("acme", 9))  # a new key for new records after a shred
    with ledger.database.session() as session:
        assert read_body(session, ledger.keyring, "acme", 6)["completion"] == "hi"
    ledger.checkpointer.checkpoint()
    report = ledger.verify()
    assert report.ok, report.faults


def test_retention_comes_from_override_then_policy_then_default(ledger: Ledger) -> None:
    for n, tenant in enumerate(("acme", "globex", "initech")):
        ledger.writer.write(request_event(tenant, n))
    with ledger.database.session() as session:
        retention.set_retention(session, "initech", 0, "test")  # the explicit setting beats the policy
    policy_days = {"acme": 0, "globex": None, "initech": 3650}
    results = retention.purge_expired(ledger.database, 3650, "test", policy_days.get)
    assert sorted(r.tenant_id for r in results) == ["acme", "initech"]  # globex: the 10-year default
    assert _bodies(ledger) == 1


def test_a_purge_record_only_covers_bodies_before_it(ledger: Ledger) -> None:
    ledger.writer.write(request_event("acme", 1))
    with ledger.database.session() as session:
        retention.set_retention(session, "acme", 0, "test")
    retention.purge_expired(ledger.database, 3650, "test")
    later = ledger.writer.write(request_event("acme", 2))
    with ledger.database.session() as session:  # deleted by hand, after the purge: not covered by it
        session.execute(text("DELETE FROM audit_bodies WHERE seq = :seq"), {"seq": later.seq})
    fault = ledger.verify().fault
    assert fault is not None and (fault.kind, fault.seq) == ("body_missing", later.seq)
    time.sleep(0.01)  # the next purge's cut-off is strictly later than the record
    retention.purge_expired(ledger.database, 3650, "test")  # nothing left to delete: no new marker
    assert ledger.verify().fault == fault
