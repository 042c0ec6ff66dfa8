"""Tenant fences for single records: a record outside the principal's tenants does not exist for them.

Both a foreign and a missing record id answer the same 404, so ids cannot be probed across tenants; the
attempt is written to the ledger as a denied access, where the owning tenant's officers can see it.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from gateway.audit.events import AuditEvent
from gateway.audit.models import AuditRecord
from gateway.audit.writer import AuditWriter
from gateway.auth.principal import Principal
from gateway.console import queries
from gateway.db.session import Database
from gateway.errors import NotFound


def visible_record(session: Session, principal: Principal, seq: int) -> AuditRecord | None:
    record = queries.find(session, seq)
    if record is None or not principal.may_see_tenant(record.tenant_id):
        return None
    return record


def load_visible(
    database: Database, writer: AuditWriter, principal: Principal, seq: int, action: str
) -> AuditRecord:
    """The record, or a denied-access audit record and a 404."""
    with database.session() as session:
        record = queries.find(session, seq)
    if record is not None and principal.may_see_tenant(record.tenant_id):
        return record
    writer.write(
        AuditEvent(
            event_type="console.denied",
            outcome="denied",
            tenant_id=record.tenant_id if record is not None else None,
            actor=principal.actor,
            status_code=404,
            endpoint=action,
            error_code="record_not_visible",
            detail={"record_seq": seq},
        )
    )
    raise NotFound(f"No audit record {seq}.", param="seq")
