"""Appends: gapless sequence, valid chain, encrypted bodies bound to their row and tenant."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.exceptions import InvalidTag
from sqlalchemy import select

from gateway.audit import crypto
from gateway.audit.canonical import HEADER_FIELDS, canonical_header
from gateway.audit.events import AuditEvent
from gateway.audit.models import AuditBody, AuditDataKey, AuditRecord
from gateway.audit.repository import BodyTampered, BodyUnavailable, read_body, search_headers
from gateway.db.session import Database
from gateway.errors import NotFound
from tests.gateway.audit.conftest import Ledger, build_ledger, request_event


def test_records_are_sequenced_chained_and_encrypted(ledger: Ledger) -> None:
    written = [ledger.writer.write(request_event("acme", n)) for n in range(5)]
    assert [w.seq for w in written] == [1, 2, 3, 4, 5]
    with ledger.database.session() as session:
        stored = session.scalars(select(AuditBody.ciphertext)).all()
        assert len(stored) == 5 and all(b"hello" not in bytes(c) for c in stored)
        assert read_body(session, ledger.keyring, "acme", 3)["request"]["messages"][0]["content"] == "hello 2"
        assert [r.seq for r in search_headers(session, "acme", limit=2)] == [5, 4]
    assert ledger.verify().ok


def test_another_tenant_cannot_read_or_decrypt(ledger: Ledger) -> None:
    ledger.writer.write(request_event("acme", 1))
    ledger.writer.write(request_event("globex", 2))
    with ledger.database.session() as session:
        with pytest.raises(NotFound):
            read_body(session, ledger.keyring, "globex", 1)  # acme's row, asked for as globex
        acme, globex = session.get(AuditRecord, 1), session.get(AuditRecord, 2)
        assert acme is not None and globex is not None and acme.data_key_id != globex.data_key_id
        globex_key = ledger.keyring.key_by_id(session, str(globex.data_key_id))
        body = session.get(AuditBody, 1)
        assert globex_key is not None and body is not None
        header = canonical_header({name: getattr(acme, name) for name in HEADER_FIELDS})
        with pytest.raises(InvalidTag):
            crypto.open_body(globex_key.key, bytes(body.nonce), bytes(body.ciphertext), header)


def test_ciphertext_moved_to_another_row_fails_to_decrypt(sqlite_url: str, tmp_path: Path) -> None:
    from gateway.db import migrate

    migrate.upgrade(sqlite_url)
    database = Database(sqlite_url)
    ledger = build_ledger(database, tmp_path)
    ledger.writer.write(request_event("acme", 1))
    ledger.writer.write(request_event("acme", 2))
    with database.engine.begin() as connection:  # an attacker with file access: triggers off, rows moved
        connection.exec_driver_sql("DROP TRIGGER audit_bodies_no_update")
        connection.exec_driver_sql("UPDATE audit_bodies SET seq = 3 WHERE seq = 1")
        connection.exec_driver_sql("UPDATE audit_bodies SET seq = 1 WHERE seq = 2")
        connection.exec_driver_sql("UPDATE audit_bodies SET seq = 2 WHERE seq = 3")
    with database.session() as session, pytest.raises(BodyTampered):
        read_body(session, ledger.keyring, "acme", 1)
    ledger.writer.close()
    database.dispose()


def test_body_mode_none_stores_no_body(ledger: Ledger) -> None:
    event = request_event("acme", 1)
    event.body = None
    ledger.writer.write(event)
    with ledger.database.session() as session:
        record = session.get(AuditRecord, 1)
        assert record is not None and record.body_mode == "none" and record.body_digest == ""
        with pytest.raises(BodyUnavailable):
            read_body(session, ledger.keyring, "acme", 1)


def test_data_keys_rotate_by_count(database: Database, tmp_path: Path) -> None:
    ledger = build_ledger(database, tmp_path, max_records=4)
    for n in range(10):
        ledger.writer.write(request_event("acme", n))
    with database.session() as session:
        key_ids = session.scalars(select(AuditRecord.data_key_id).order_by(AuditRecord.seq)).all()
        assert len(set(key_ids)) == 3  # 4 + 4 + 2
        assert all(read_body(session, ledger.keyring, "acme", seq) for seq in range(1, 11))
    ledger.writer.close()


def test_header_only_events_need_no_key_ring(ledger: Ledger) -> None:
    from gateway.audit.writer import add_record

    with ledger.database.session() as session:
        appended = add_record(session, AuditEvent(event_type="key.created", outcome="ok", tenant_id="acme"))
    assert appended.seq == 1
    assert ledger.verify().ok


def test_data_keys_rotate_by_age(database: Database, tmp_path: Path) -> None:
    from datetime import timedelta

    ledger = build_ledger(database, tmp_path, max_age=timedelta(0))  # every key is already too old
    for n in range(3):
        ledger.writer.write(request_event("acme", n))
    with database.session() as session:
        versions = session.scalars(select(AuditDataKey.version).order_by(AuditDataKey.version)).all()
        assert versions == [1, 2, 3]
        assert all(read_body(session, ledger.keyring, "acme", seq) for seq in (1, 2, 3))
    ledger.writer.close()
