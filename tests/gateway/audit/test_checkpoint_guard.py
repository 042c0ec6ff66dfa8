"""A replica never signs over a rewritten ledger: with its last checkpoint deleted, or the record under
the newest checkpoint changed, or a forged newest checkpoint, it refuses to sign (LedgerError, logged
as critical) instead of vouching for the rewrite."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from gateway.audit.ledger import LedgerError
from gateway.db import migrate
from gateway.db.session import Database
from tests.gateway.audit.conftest import Ledger, build_ledger, request_event


@pytest.fixture
def signed(tmp_path: Path) -> Iterator[tuple[Ledger, Path]]:
    path = tmp_path / "bulwark.db"
    migrate.upgrade(f"sqlite:///{path}")
    database = Database(f"sqlite:///{path}")
    ledger = build_ledger(database, tmp_path)
    for n in range(4):
        ledger.writer.write(request_event("acme", n))
    first = ledger.checkpointer.checkpoint()
    assert first is not None
    ledger.writer.write(request_event("acme", 4))
    yield ledger, path
    ledger.writer.close()
    database.dispose()


def _attack(path: Path, *statements: str) -> None:
    with sqlite3.connect(path) as connection:
        for trigger in (
            "audit_checkpoints_no_delete",
            "audit_checkpoints_no_update",
            "audit_records_no_update",
        ):
            connection.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        for statement in statements:
            connection.execute(statement)


def test_untouched_ledger_is_signed(signed: tuple[Ledger, Path]) -> None:
    ledger, _ = signed
    assert ledger.checkpointer.checkpoint() is not None
    assert ledger.verify().ok


@pytest.mark.parametrize(
    ("statement", "reason"),
    [
        ("DELETE FROM audit_checkpoints", "was removed"),
        # A chain rewritten with recomputed hashes: the checkpointed record now carries another hash (its
        # first digit changed whatever it was: a fixed 'f' left one hash in 16 as it was).
        (
            "UPDATE audit_records SET hash = (CASE WHEN hash LIKE 'f%' THEN 'e' ELSE 'f' END) || substr(hash, 2) "
            "WHERE seq = 5",
            "differs from its signed",
        ),
        ("UPDATE audit_checkpoints SET signed_time = '2000-01-01'", "differs from its signed checkpoint"),
    ],
)
def test_refuses_to_sign_over_a_rewrite(signed: tuple[Ledger, Path], statement: str, reason: str) -> None:
    ledger, path = signed
    _attack(path, statement)
    with pytest.raises(LedgerError, match=reason):
        ledger.checkpointer.checkpoint()
