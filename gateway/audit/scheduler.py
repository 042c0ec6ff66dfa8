"""Background duties of a running gateway: a checkpoint every N records or T seconds (idle included, so
the tail of a quiet ledger is still signed within T), and the scheduled retention purge."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from sqlalchemy.exc import SQLAlchemyError

from gateway.audit.checkpointer import Checkpointer
from gateway.audit.key_provider import KeyProviderError
from gateway.audit.ledger import LedgerError

logger = logging.getLogger(__name__)
RECOVERABLE = (SQLAlchemyError, OSError, LedgerError, KeyProviderError)


class AuditScheduler:
    def __init__(
        self,
        checkpointer: Checkpointer,
        *,
        every_records: int,
        every_s: float,
        purge: Callable[[], object] | None = None,
        purge_every_s: float = 3600.0,
    ) -> None:
        self._checkpointer = checkpointer
        self._every_records = every_records
        self._every_s = every_s
        self._purge = purge
        self._purge_every_s = purge_every_s
        self._due = threading.Event()
        self._stopping = threading.Event()
        self._last_checkpointed = 0
        self._thread: threading.Thread | None = None

    def note_appended(self, seq: int) -> None:
        """Called by the writer after each commit; wakes the scheduler once N records are unsigned."""
        if seq - self._last_checkpointed >= self._every_records:
            self._due.set()

    def start(self) -> None:
        self._last_checkpointed = self._checkpointer.last_checkpointed_seq()
        self._thread = threading.Thread(target=self._run, name="audit-scheduler", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        self._due.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
        self._checkpoint()  # sign the tail on a clean shutdown

    def _run(self) -> None:
        next_purge = time.monotonic() + self._purge_every_s
        while not self._stopping.is_set():
            self._due.wait(timeout=self._every_s)
            self._due.clear()
            if self._stopping.is_set():
                return
            self._checkpoint()
            if self._purge is not None and time.monotonic() >= next_purge:
                next_purge = time.monotonic() + self._purge_every_s
                self._run_purge()

    def _checkpoint(self) -> None:
        try:
            checkpoint = self._checkpointer.checkpoint()
        except RECOVERABLE as error:
            logger.error("audit checkpoint failed: %s; retrying next tick", type(error).__name__)
            return
        if checkpoint is not None:
            self._last_checkpointed = checkpoint.seq

    def _run_purge(self) -> None:
        assert self._purge is not None
        try:
            self._purge()
        except RECOVERABLE as error:
            logger.error("scheduled audit purge failed: %s; retrying next period", type(error).__name__)
