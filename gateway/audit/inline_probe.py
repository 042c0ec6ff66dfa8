"""Admission without a thread hop on SQLite: the event loop itself takes the ledger's write lock, reads
the chain head and lets go.

On a local SQLite file this takes microseconds and writes nothing (no fsync), so a thread round trip to
the writer cost more than the probe itself (issue 12). It never waits: if another writer holds the lock
it answers "busy", and the caller falls back to the writer thread, which waits (and times out) as before.
A missing chain head or an unreadable file raises, and the request is refused: fail closed. PostgreSQL
has no such shortcut (a lock there is a network round trip), so its probes always go to the writer.
"""

from __future__ import annotations

import sqlite3

from sqlalchemy.dialects import sqlite
from sqlalchemy.engine import make_url

from gateway.audit.ledger import READ_HEAD, LedgerError
from gateway.db.session import Database

# The ledger's own head read, as SQLite text (the head id bound in): one query, not a copy of it.
_READ_HEAD_SQL = str(READ_HEAD.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}))


class InlineSqliteProbe:
    def __init__(self, path: str) -> None:
        # Autocommit mode: BEGIN and ROLLBACK are issued here, exactly; timeout 0: never wait for a lock.
        self._connection = sqlite3.connect(path, timeout=0, isolation_level=None, check_same_thread=False)

    @classmethod
    def for_database(cls, database: Database) -> InlineSqliteProbe | None:
        """A probe for a file-backed SQLite ledger; None for any other database."""
        if not database.is_sqlite:
            return None
        path = make_url(database.url).database
        return cls(path) if path and path != ":memory:" else None

    def try_admit(self) -> bool:
        """True: the ledger took the write lock and has its head. False: another writer holds the lock."""
        try:
            self._connection.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            if "locked" in str(error) or "busy" in str(error):
                return False
            raise
        try:
            head = self._connection.execute(_READ_HEAD_SQL).fetchone()
        finally:
            self._connection.execute("ROLLBACK")
        if head is None:
            raise LedgerError("the audit chain head is missing: run the migrations")
        return True

    def close(self) -> None:
        self._connection.close()
