"""Writes audit records. A write either commits or raises: callers fail closed on an exception."""

from __future__ import annotations

import json

import anyio
from sqlalchemy.orm import Session

from gateway.audit.events import AuditEvent
from gateway.audit.models import AuditRecord
from gateway.db.session import Database


def add_record(session: Session, event: AuditEvent) -> AuditRecord:
    """Add a record to ``session`` (committed with the caller's own change, e.g. a key creation)."""
    record = AuditRecord(
        event_type=event.event_type,
        outcome=event.outcome,
        status_code=event.status_code,
        request_id=event.request_id,
        tenant_id=event.tenant_id,
        key_id=event.key_id,
        actor=event.actor,
        endpoint=event.endpoint,
        model=event.model,
        policy_version=event.policy_version,
        stages=list(event.stages),
        pii_counts=dict(event.pii_counts),
        prompt_tokens=event.prompt_tokens,
        completion_tokens=event.completion_tokens,
        latency_ms=event.latency_ms,
        error_code=event.error_code,
        body=json.dumps(event.body, ensure_ascii=False) if event.body is not None else None,
    )
    session.add(record)
    session.flush()
    return record


class AuditWriter:
    def __init__(self, database: Database) -> None:
        self._database = database

    def write(self, event: AuditEvent) -> None:
        with self._database.session() as session:
            add_record(session, event)

    async def write_async(self, event: AuditEvent) -> None:
        # The database driver blocks; keep the event loop free for other requests.
        await anyio.to_thread.run_sync(self.write, event)
