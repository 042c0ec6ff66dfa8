"""Checkpoints on cadence: after N records, after T seconds of quiet, and nothing new while idle."""

from __future__ import annotations

import time

from gateway.audit.checkpoints import Checkpoint, read_checkpoints
from gateway.audit.scheduler import AuditScheduler
from gateway.audit.writer import AuditWriter
from tests.gateway.audit.conftest import Ledger, request_event


def _wait_for(condition: object, timeout_s: float = 10.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def _checkpoints(ledger: Ledger) -> list[Checkpoint]:
    with ledger.database.session() as session:
        return read_checkpoints(session)


def test_checkpoints_every_n_records_and_on_idle(ledger: Ledger) -> None:
    scheduler = AuditScheduler(ledger.checkpointer, every_records=5, every_s=0.3)
    writer = AuditWriter(ledger.database, ledger.keyring, on_appended=scheduler.note_appended)
    scheduler.start()
    try:
        for n in range(2):
            writer.write(request_event("acme", n))
        _wait_for(lambda: len(_checkpoints(ledger)) == 1)  # 2 records < N: the idle timer signs them
        first = _checkpoints(ledger)[-1]
        assert first.seq == 3  # the two records and the checkpoint record itself
        time.sleep(1.0)  # idle: nothing new to cover, so nothing new is signed
        assert len(_checkpoints(ledger)) == 1
        for n in range(5):
            writer.write(request_event("acme", n))
        _wait_for(lambda: len(_checkpoints(ledger)) == 2)
    finally:
        scheduler.stop()
        writer.close()
    assert ledger.verify().ok
