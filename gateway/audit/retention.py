"""Retention and crypto-shredding. Each act commits together with the signed record that accounts for it.

- purge: deletes bodies older than the tenant's retention (headers and digests stay; the chain still
  verifies) and appends an "audit.purge" record naming the tenant and the cut-off it applied.
- shred: destroys every data key of a tenant (its bodies become unreadable forever) and appends an
  "audit.shred" record listing the key ids. Refused while the tenant is under legal hold.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from gateway.audit.canonical import format_time
from gateway.audit.events import AuditEvent
from gateway.audit.ledger import lock_head
from gateway.audit.models import AuditBody, AuditDataKey, AuditRecord, AuditTenantControl
from gateway.audit.tenant_controls import controls_for
from gateway.audit.writer import add_record
from gateway.db.base import utc_now
from gateway.db.session import Database
from gateway.errors import PermissionDenied

RetentionLookup = Callable[[str], int | None]  # tenant id -> days, or None for "no opinion"


class LegalHold(PermissionDenied):
    code = "legal_hold"


@dataclass(frozen=True)
class PurgeResult:
    tenant_id: str
    bodies_deleted: int
    cutoff: datetime


def tenant_control(session: Session, tenant_id: str) -> AuditTenantControl:
    control = session.get(AuditTenantControl, tenant_id)
    if control is None:
        control = AuditTenantControl(tenant_id=tenant_id, retention_days=None, legal_hold=False)
        session.add(control)
        session.flush()
    return control


def set_legal_hold(session: Session, tenant_id: str, held: bool, actor: str) -> None:
    tenant_control(session, tenant_id).legal_hold = held
    add_record(
        session,
        AuditEvent(
            event_type="audit.legal_hold",
            outcome="ok",
            tenant_id=tenant_id,
            actor=actor,
            detail={"legal_hold": held},
        ),
    )


def set_retention(session: Session, tenant_id: str, days: int | None, actor: str) -> None:
    tenant_control(session, tenant_id).retention_days = days
    add_record(
        session,
        AuditEvent(
            event_type="audit.retention",
            outcome="ok",
            tenant_id=tenant_id,
            actor=actor,
            detail={"retention_days": days},
        ),
    )


def purge(
    session: Session, default_days: int, actor: str, now: datetime, policy_days: RetentionLookup | None = None
) -> list[PurgeResult]:
    """Delete every body past its tenant's retention, tenant by tenant, skipping tenants on hold.

    A tenant's retention: an explicit ``bulwark audit retention`` setting, else its policy's
    ``audit.retention_days``, else ``default_days``.
    """
    lock_head(session)  # purge markers and new appends stay in order
    tenants = session.scalars(
        select(AuditRecord.tenant_id)
        .join(AuditBody, AuditBody.seq == AuditRecord.seq)
        .where(AuditRecord.tenant_id.is_not(None))
        .distinct()
    ).all()
    results = []
    for tenant_id in tenants:
        assert tenant_id is not None
        # The ledger's word, not the table's: a row edited in the database cannot lift a hold.
        control = controls_for(session, tenant_id)
        if control.legal_hold:
            continue
        days = control.retention_days
        if days is None and policy_days is not None:
            days = policy_days(tenant_id)
        days = default_days if days is None else days
        result = _purge_tenant(session, tenant_id, now - timedelta(days=days), actor)
        if result.bodies_deleted:
            results.append(result)
    return results


def _purge_tenant(session: Session, tenant_id: str, cutoff: datetime, actor: str) -> PurgeResult:
    expired = (
        select(AuditRecord.seq)
        .join(AuditBody, AuditBody.seq == AuditRecord.seq)
        .where(AuditRecord.tenant_id == tenant_id, AuditRecord.created_at < cutoff)
    )
    seqs = list(session.scalars(expired))
    for start in range(0, len(seqs), 500):
        session.execute(delete(AuditBody).where(AuditBody.seq.in_(seqs[start : start + 500])))
    if seqs:
        add_record(
            session,
            AuditEvent(
                event_type="audit.purge",
                outcome="ok",
                tenant_id=tenant_id,
                actor=actor,
                detail={"cutoff": format_time(cutoff), "bodies_deleted": len(seqs)},
            ),
        )
    return PurgeResult(tenant_id, len(seqs), cutoff)


def shred(session: Session, tenant_id: str, actor: str) -> list[str]:
    """Destroy the tenant's data keys; returns the key ids destroyed. Raises LegalHold when held."""
    lock_head(session)
    if controls_for(session, tenant_id).legal_hold:
        raise LegalHold(f"Tenant {tenant_id!r} is under legal hold: its audit bodies may not be shredded.")
    key_ids = list(session.scalars(select(AuditDataKey.id).where(AuditDataKey.tenant_id == tenant_id)))
    session.execute(delete(AuditDataKey).where(AuditDataKey.tenant_id == tenant_id))
    add_record(
        session,
        AuditEvent(
            event_type="audit.shred",
            outcome="ok",
            tenant_id=tenant_id,
            actor=actor,
            detail={"key_ids": sorted(key_ids)},
        ),
    )
    return key_ids


def purge_expired(
    database: Database, default_days: int, actor: str, policy_days: RetentionLookup | None = None
) -> list[PurgeResult]:
    """One purge run in its own transaction (the CLI command and the scheduled job share this)."""
    with database.session() as session:
        return purge(session, default_days, actor, utc_now(), policy_days)
