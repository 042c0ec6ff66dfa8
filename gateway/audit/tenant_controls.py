"""A tenant's legal hold and retention, as the ledger says they are.

Every change is an ``audit.legal_hold`` / ``audit.retention`` record, appended in the same transaction
as the table update, chained and signed like any record; records cannot be updated or deleted (triggers)
without ``bulwark audit verify`` noticing. So the ledger is the append-only history and the authority:
purge and shred decide from it, never from ``audit_tenant_controls`` alone, and verify reports a table
row that disagrees with it, which is what a direct database edit (``UPDATE ... SET legal_hold = false``)
leaves behind.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.audit.models import AuditRecord, AuditTenantControl

HOLD_EVENT = "audit.legal_hold"
RETENTION_EVENT = "audit.retention"


@dataclass(frozen=True)
class TenantControls:
    legal_hold: bool = False
    retention_days: int | None = None


def ledger_controls(session: Session, tenant_id: str | None = None) -> dict[str, TenantControls]:
    """Each tenant's controls from its newest hold and retention records (tenants never set: absent)."""
    query = (
        select(AuditRecord.tenant_id, AuditRecord.event_type, AuditRecord.detail)
        .where(AuditRecord.event_type.in_((HOLD_EVENT, RETENTION_EVENT)), AuditRecord.outcome == "ok")
        .order_by(AuditRecord.seq)
    )
    if tenant_id is not None:
        query = query.where(AuditRecord.tenant_id == tenant_id)
    found: dict[str, TenantControls] = {}
    for tenant, event_type, detail in session.execute(query):
        if tenant is None or not isinstance(detail, dict):
            continue
        current = found.get(tenant, TenantControls())
        if event_type == HOLD_EVENT:
            current = TenantControls(bool(detail.get("legal_hold")), current.retention_days)
        else:
            days = detail.get("retention_days")
            current = TenantControls(current.legal_hold, days if isinstance(days, int) else None)
        found[tenant] = current
    return found


def controls_for(session: Session, tenant_id: str) -> TenantControls:
    return ledger_controls(session, tenant_id).get(tenant_id, TenantControls())


def tampered_tenants(session: Session) -> list[str]:
    """Tenants whose table row disagrees with the ledger (edited outside the gateway), sorted."""
    ledger = ledger_controls(session)
    rows = {row.tenant_id: row for row in session.scalars(select(AuditTenantControl))}
    wrong = []
    for tenant in sorted(set(ledger) | set(rows)):
        row, said = rows.get(tenant), ledger.get(tenant, TenantControls())
        actual = TenantControls(row.legal_hold, row.retention_days) if row else TenantControls()
        if actual != said:
            wrong.append(tenant)
    return wrong
