"""Writes audit records. A write either commits or raises: callers fail closed on an exception.

One writer thread owns appends for this process: concurrent callers queue their events and the thread
commits whatever has queued up as one transaction (one fsync for many records). Admission probes ride
in the same batches: ``admit()`` returns only after the writer took the ledger's append lock and read
its chain head, which is how the audit stage knows the ledger takes writes before it forwards anything.
A batch of probes alone is rolled back, not committed: it changes nothing, so it costs no fsync, and
the request's one durable commit on its critical path is its record's.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass

from sqlalchemy.orm import Session

from gateway.audit.events import AuditEvent
from gateway.audit.inline_probe import InlineSqliteProbe
from gateway.audit.keyring import DataKeyRing
from gateway.audit.ledger import Appended, append_events, lock_head
from gateway.db.session import Database

logger = logging.getLogger(__name__)
MAX_BATCH = 512
ADMISSION_TIMEOUT_S = 10.0


def add_record(session: Session, event: AuditEvent, keyring: DataKeyRing | None = None) -> Appended:
    """Append one record inside the caller's transaction (committed with e.g. a key creation).

    It takes the ledger's append lock, held until the caller commits: keep such transactions short.
    """
    return append_events(session, [event], keyring)[0]


@dataclass
class _Pending:
    event: AuditEvent | None  # None: an admission probe
    future: Future[Appended | None]


class AuditWriter:
    def __init__(
        self,
        database: Database,
        keyring: DataKeyRing | None = None,
        *,
        on_appended: Callable[[int], None] | None = None,
    ) -> None:
        self._database = database
        self._keyring = keyring
        self._on_appended = on_appended
        self._queue: queue.SimpleQueue[_Pending | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()
        self._on_commit: Callable[[float, int], None] | None = None
        self._inline_probe = InlineSqliteProbe.for_database(database)

    @property
    def keyring(self) -> DataKeyRing | None:
        """The data keys this writer encrypts with (readers decrypt with the same ring)."""
        return self._keyring

    def observe_commits(self, observer: Callable[[float, int], None]) -> None:
        """Call ``observer(seconds, still_queued)`` after each batch commits (metrics; never the events)."""
        self._on_commit = observer

    def write(self, event: AuditEvent) -> Appended:
        appended = self._submit(event).result()
        assert appended is not None
        return appended

    async def write_async(self, event: AuditEvent) -> Appended:
        # Shielded: a cancelled caller must not withdraw its record; the writer commits it regardless.
        appended = await asyncio.shield(asyncio.wrap_future(self._submit(event)))
        assert appended is not None
        return appended

    def admit(self) -> None:
        """Return once the ledger's append lock was taken and its head read; raise if it cannot be."""
        self._submit(None).result()

    async def admit_async(self, timeout_s: float = ADMISSION_TIMEOUT_S) -> None:
        """As ``admit``; a ledger that hangs (a partitioned database) refuses after ``timeout_s``. On a
        SQLite file an uncontended lock is taken right here, without a thread hop."""
        if self._inline_probe is not None and self._inline_probe.try_admit():
            return
        async with asyncio.timeout(timeout_s):
            await asyncio.shield(asyncio.wrap_future(self._submit(None)))

    def close(self) -> None:
        if self._inline_probe is not None:
            self._inline_probe.close()
            self._inline_probe = None
        thread = self._thread
        if thread is not None and thread.is_alive():
            self._queue.put(None)
            thread.join(timeout=30)

    def _submit(self, event: AuditEvent | None) -> Future[Appended | None]:
        self._ensure_thread()
        future: Future[Appended | None] = Future()
        self._queue.put(_Pending(event, future))
        return future

    def _ensure_thread(self) -> None:
        with self._start_lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="audit-writer", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        while True:
            first = self._queue.get()
            if first is None:
                return
            batch = [first]
            while len(batch) < MAX_BATCH:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is None:
                    self._queue.put(None)  # finish this batch, then stop
                    break
                batch.append(item)
            self._commit(batch)

    def _probe(self) -> None:
        """Take the append lock and read the head (a missing or locked ledger raises), then let go."""
        with self._database.engine.connect() as connection:
            try:
                lock_head(connection)
            finally:
                connection.rollback()

    def _commit(self, batch: list[_Pending]) -> None:
        events = [pending.event for pending in batch if pending.event is not None]
        started = time.perf_counter()
        try:
            if events:
                # A Core transaction, not an ORM session: nothing here needs the identity map.
                with self._database.engine.begin() as connection:
                    appended = append_events(connection, events, self._keyring)
            else:
                appended = []
                self._probe()
        except BaseException as error:  # handed to every waiter, who fails closed; never swallowed
            logger.error("audit batch of %d failed: %s", len(batch), type(error).__name__)
            for pending in batch:
                _settle(pending.future, error=error)
            if not isinstance(error, Exception):
                raise
            return
        committed_s = time.perf_counter() - started
        results = iter(appended)
        for pending in batch:
            _settle(pending.future, result=next(results) if pending.event is not None else None)
        if appended and self._on_appended is not None:
            self._on_appended(appended[-1].seq)
        if self._on_commit is not None:
            self._on_commit(committed_s, self._queue.qsize())


def _settle(
    future: Future[Appended | None], *, result: Appended | None = None, error: BaseException | None = None
) -> None:
    if future.done():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)
