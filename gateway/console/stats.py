"""Aggregates for the console charts: requests per tenant per day, PII findings by type, blocked requests.

Counted in Python over a bounded window of header columns, so the same code runs on SQLite and
PostgreSQL (their date functions differ); the window keeps the scan small.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.audit.models import AuditRecord
from gateway.auth.principal import Principal
from gateway.db.base import utc_now

# Blocked: the gateway refused the request (any 4xx: policy, PII block, limits, unknown model, bad input),
# so nothing reached the model; the chart breaks them down by error code. 5xx are failures, not blocks.
BLOCKED_OUTCOMES = frozenset({"blocked", "denied"})


def is_blocked(outcome: str, status_code: int | None) -> bool:
    return outcome in BLOCKED_OUTCOMES or (status_code is not None and 400 <= status_code < 500)


class DayCount(BaseModel):
    day: str
    tenant_id: str
    count: int


class StatsOut(BaseModel):
    days: int
    requests: list[DayCount]  # per tenant per day
    pii_by_type: dict[str, int]
    blocked: list[DayCount]  # per tenant per day
    blocked_by_code: dict[str, int]


def usage_stats(session: Session, principal: Principal, days: int) -> StatsOut:
    since = utc_now() - timedelta(days=days)
    query = select(
        AuditRecord.created_at,
        AuditRecord.tenant_id,
        AuditRecord.outcome,
        AuditRecord.status_code,
        AuditRecord.error_code,
        AuditRecord.pii_counts,
    ).where(AuditRecord.event_type == "request", AuditRecord.created_at >= since)
    if principal.tenants is not None:
        query = query.where(AuditRecord.tenant_id.in_(sorted(principal.tenants)))
    requests: Counter[tuple[str, str]] = Counter()
    blocked: Counter[tuple[str, str]] = Counter()
    pii: Counter[str] = Counter()
    codes: Counter[str] = Counter()
    for created_at, tenant_id, outcome, status_code, error_code, pii_counts in session.execute(query):
        key = (created_at.date().isoformat(), tenant_id or "-")
        requests[key] += 1
        pii.update({str(kind): int(n) for kind, n in (pii_counts or {}).items()})
        if is_blocked(outcome, status_code):
            blocked[key] += 1
            codes[error_code or outcome] += 1
    return StatsOut(
        days=days,
        requests=_day_counts(requests),
        pii_by_type=dict(pii.most_common()),
        blocked=_day_counts(blocked),
        blocked_by_code=dict(codes.most_common()),
    )


def _day_counts(counts: Counter[tuple[str, str]]) -> list[DayCount]:
    return [DayCount(day=day, tenant_id=tenant, count=n) for (day, tenant), n in sorted(counts.items())]
