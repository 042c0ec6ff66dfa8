"""32 concurrent writers x 500 events: sequence 1..N without a gap and a valid chain, on SQLite and
PostgreSQL. The writers are spread over four independent AuditWriter instances, each with its own
connection pool, standing in for four gateway processes: the database lock, not one process's queue,
is what keeps the sequence gapless."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from gateway.audit.keyring import DataKeyRing
from gateway.audit.models import AuditRecord
from gateway.audit.writer import AuditWriter
from gateway.db.session import Database
from tests.gateway.audit.conftest import Ledger, request_event

WRITERS = 32
EVENTS_EACH = 500
PROCESSES = 4


@pytest.mark.slow
def test_concurrent_writers_leave_no_gap(ledger: Ledger, tmp_path: Path) -> None:
    databases = [Database(ledger.database.url) for _ in range(PROCESSES)]
    writers = [AuditWriter(db, DataKeyRing(ledger.provider)) for db in databases]
    failures: list[BaseException] = []

    def run(index: int) -> None:
        writer = writers[index % PROCESSES]
        try:
            for n in range(EVENTS_EACH):
                writer.write(request_event(f"tenant{index % 5}", n, body=n % 4 == 0))
        except Exception as error:  # noqa: BLE001 - collected, asserted on below
            failures.append(error)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for writer, db in zip(writers, databases, strict=True):
        writer.close()
        db.dispose()
    assert not failures, failures[:3]
    total = WRITERS * EVENTS_EACH
    with ledger.database.session() as session:
        count, low, high = session.execute(
            select(func.count(), func.min(AuditRecord.seq), func.max(AuditRecord.seq))
        ).one()
    assert (count, low, high) == (total, 1, total)
    ledger.checkpointer.checkpoint()
    report = ledger.verify()
    assert report.ok, report.faults[:3]
    assert report.records == total + 1  # and the checkpoint record
