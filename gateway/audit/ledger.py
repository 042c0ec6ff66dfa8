"""Appending to the ledger: sequence numbers, encryption and the chain, under one lock.

Every append, from any process, first updates the single chain-head row. That write takes SQLite's
database write lock or PostgreSQL's row lock, so sequence assignment and chaining are serialized across
writers and processes: concurrent writers wait, they never leave a hole or fork the chain.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, update
from sqlalchemy.orm import Session

from gateway.audit import crypto
from gateway.audit.canonical import NO_BODY_DIGEST, body_digest, canonical_header, chain_hash
from gateway.audit.events import BODY_MODES, AuditEvent
from gateway.audit.keyring import SYSTEM_TENANT, DataKey, DataKeyRing
from gateway.audit.models import AuditBody, AuditChainHead, AuditRecord
from gateway.db.base import table_of, utc_now

HEAD_ID = 1


class LedgerError(RuntimeError):
    """The ledger cannot take this record (misconfiguration, not a transient failure)."""


@dataclass(frozen=True)
class Appended:
    seq: int
    hash: str


@dataclass(frozen=True)
class ChainHead:
    ledger_id: str
    last_seq: int
    last_hash: str


# Built once: constructing a statement costs more than running it (the writer runs these per batch).
_HEAD_TABLE = table_of(AuditChainHead)
_LOCK_HEAD = (
    update(_HEAD_TABLE)
    .where(_HEAD_TABLE.c.id == HEAD_ID)
    .values(last_seq=_HEAD_TABLE.c.last_seq)
    .returning(_HEAD_TABLE.c.ledger_id, _HEAD_TABLE.c.last_seq, _HEAD_TABLE.c.last_hash)
)
READ_HEAD = select(_HEAD_TABLE.c.ledger_id, _HEAD_TABLE.c.last_seq, _HEAD_TABLE.c.last_hash).where(
    _HEAD_TABLE.c.id == HEAD_ID
)
_ADVANCE_HEAD = (
    update(_HEAD_TABLE)
    .where(_HEAD_TABLE.c.id == HEAD_ID)
    .values(last_seq=bindparam("new_seq"), last_hash=bindparam("new_hash"))
)
_INSERT_RECORDS = insert(table_of(AuditRecord))
_INSERT_BODIES = insert(table_of(AuditBody))


def lock_head(session: Session | Connection) -> ChainHead:
    """Take the append lock (held until the caller's transaction ends) and read the chain head.

    One statement: the no-op UPDATE takes SQLite's write lock or PostgreSQL's row lock, and RETURNING
    reads the head under it."""
    row = session.execute(_LOCK_HEAD).one_or_none()
    if row is None:
        raise LedgerError("the audit chain head is missing: run the migrations")
    return ChainHead(row.ledger_id, row.last_seq, row.last_hash)


def read_head(session: Session) -> ChainHead:
    row = session.execute(READ_HEAD).one()
    return ChainHead(row.ledger_id, row.last_seq, row.last_hash)


def append_events(
    session: Session | Connection, events: Sequence[AuditEvent], keyring: DataKeyRing | None
) -> list[Appended]:
    """Append ``events`` in order inside the caller's transaction; committed with it or not at all."""
    connection = session.connection() if isinstance(session, Session) else session
    head = lock_head(connection)
    now = utc_now()
    keys = _data_keys(connection, events, keyring, now)
    records: list[dict[str, Any]] = []
    bodies: list[dict[str, Any]] = []
    appended: list[Appended] = []
    prev_hash, seq = head.last_hash, head.last_seq
    for event in events:
        seq += 1
        key = keys.get(_body_owner(event)) if event.body is not None else None
        values = header_values(event, seq, now, key)
        header = canonical_header(values)
        digest = NO_BODY_DIGEST
        if key is not None and event.body is not None:
            nonce, ciphertext = crypto.seal_body(key.key, event.body, header)
            digest = body_digest(nonce, ciphertext)
            bodies.append({"seq": seq, "nonce": nonce, "ciphertext": ciphertext})
        prev_hash = chain_hash(prev_hash, header, digest)
        records.append({**values, "body_digest": digest, "hash": prev_hash})
        appended.append(Appended(seq, prev_hash))
    # Core inserts: the ORM's per-row bookkeeping is pure overhead for rows nobody reads back here.
    connection.execute(_INSERT_RECORDS, records)
    if bodies:
        connection.execute(_INSERT_BODIES, bodies)
    connection.execute(_ADVANCE_HEAD, {"new_seq": seq, "new_hash": prev_hash})
    return appended


def header_values(event: AuditEvent, seq: int, now: datetime, key: DataKey | None) -> dict[str, Any]:
    mode = event.body_mode if event.body is not None else "none"
    if mode not in BODY_MODES:
        raise LedgerError(f"unknown body mode {mode!r}")
    return {
        "seq": seq,
        "created_at": now,
        "event_type": event.event_type,
        "outcome": event.outcome,
        "status_code": event.status_code,
        "request_id": event.request_id,
        "tenant_id": event.tenant_id,
        "key_id": event.key_id,
        "actor": event.actor,
        "endpoint": event.endpoint,
        "model": event.model,
        "policy_version": event.policy_version,
        "stages": list(event.stages),
        "pii_counts": dict(event.pii_counts),
        "prompt_tokens": event.prompt_tokens,
        "completion_tokens": event.completion_tokens,
        "latency_ms": event.latency_ms,
        "error_code": event.error_code,
        "detail": event.detail,
        "body_mode": mode,
        "data_key_id": key.id if key is not None else None,
    }


def _body_owner(event: AuditEvent) -> str:
    return event.tenant_id or SYSTEM_TENANT


def _data_keys(
    connection: Connection, events: Sequence[AuditEvent], keyring: DataKeyRing | None, now: datetime
) -> dict[str, DataKey]:
    counts = Counter(_body_owner(event) for event in events if event.body is not None)
    if not counts:
        return {}
    if keyring is None:
        raise LedgerError("an audit body needs a data key ring; this writer has none")
    return keyring.keys_for_append(connection, counts, now)
