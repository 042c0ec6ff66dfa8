"""Header queries for the console. Every query is bounded by the principal's tenants.

The ledger's own repository reads one tenant at a time; a site-wide officer searches across tenants, and
the console filters by more fields (key, outcome, model, PII type), so these are written here against the
ledger's models. They only read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from gateway.audit.models import AuditRecord
from gateway.auth.principal import Principal

MAX_PAGE = 200


@dataclass(frozen=True)
class RecordFilter:
    since: datetime | None = None
    until: datetime | None = None
    tenant_id: str | None = None
    key_id: str | None = None
    event_type: str | None = None
    outcome: str | None = None
    model: str | None = None
    pii_type: str | None = None


def as_utc(moment: datetime | None) -> datetime | None:
    """Query times without a zone are read as UTC (the ledger stores UTC only)."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def scoped(query: Select[Any], principal: Principal) -> Select[Any]:
    if principal.tenants is None:
        return query
    return query.where(AuditRecord.tenant_id.in_(sorted(principal.tenants)))


def filtered(query: Select[Any], wanted: RecordFilter) -> Select[Any]:
    since, until = as_utc(wanted.since), as_utc(wanted.until)
    if since is not None:
        query = query.where(AuditRecord.created_at >= since)
    if until is not None:
        query = query.where(AuditRecord.created_at < until)
    for column, value in (
        (AuditRecord.tenant_id, wanted.tenant_id),
        (AuditRecord.key_id, wanted.key_id),
        (AuditRecord.event_type, wanted.event_type),
        (AuditRecord.outcome, wanted.outcome),
        (AuditRecord.model, wanted.model),
    ):
        if value is not None:
            query = query.where(column == value)
    if wanted.pii_type is not None:
        # JSON member access compiles to json_extract on SQLite and ->> on PostgreSQL.
        query = query.where(AuditRecord.pii_counts[wanted.pii_type].as_integer() > 0)
    return query


def search(
    session: Session,
    principal: Principal,
    wanted: RecordFilter,
    *,
    before_seq: int | None = None,
    limit: int = 50,
) -> Sequence[AuditRecord]:
    """Newest first; the next page starts ``before_seq`` = the last seq of this one."""
    query = filtered(scoped(select(AuditRecord), principal), wanted)
    if before_seq is not None:
        query = query.where(AuditRecord.seq < before_seq)
    return session.scalars(query.order_by(AuditRecord.seq.desc()).limit(min(limit, MAX_PAGE))).all()


def find(session: Session, seq: int) -> AuditRecord | None:
    """Unscoped lookup; callers check the tenant and answer 404 (with a denied-access record) themselves."""
    return session.get(AuditRecord, seq)
