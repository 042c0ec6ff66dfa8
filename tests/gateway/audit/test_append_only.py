"""The database itself refuses to rewrite history: UPDATE/DELETE of records and UPDATE of bodies fail
for the application's role, on PostgreSQL and SQLite (purge may still delete a body)."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from gateway.db import migrate
from gateway.db.session import Database
from tests.gateway.audit.conftest import Ledger, request_event

REFUSED = [
    "UPDATE audit_records SET outcome = 'ok-ish' WHERE seq = 1",
    "DELETE FROM audit_records WHERE seq = 1",
    "UPDATE audit_bodies SET nonce = ciphertext WHERE seq = 1",
]


@pytest.mark.parametrize("statement", REFUSED)
def test_ledger_rows_cannot_be_rewritten(ledger: Ledger, statement: str) -> None:
    ledger.writer.write(request_event("acme", 1))
    with pytest.raises(DBAPIError, match="append-only"), ledger.database.session() as session:
        session.execute(text(statement))
    assert ledger.verify().ok


@pytest.mark.postgres
def test_postgres_refuses_truncate(postgres_url: str) -> None:
    migrate.upgrade(postgres_url)
    database = Database(postgres_url)
    try:
        with pytest.raises(DBAPIError, match="append-only"), database.session() as session:
            session.execute(text("TRUNCATE audit_records, audit_bodies"))
    finally:
        database.dispose()


def test_bodies_may_be_deleted_for_retention(ledger: Ledger) -> None:
    ledger.writer.write(request_event("acme", 1))
    with ledger.database.session() as session:
        assert session.execute(text("DELETE FROM audit_bodies WHERE seq = 1")).rowcount == 1  # type: ignore[attr-defined]
    fault = ledger.verify().fault
    assert fault is not None and fault.kind == "body_missing"  # ...but never silently
