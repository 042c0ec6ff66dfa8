"""Records every policy reload: an audit record for each outcome, and history rows for what changed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.audit.events import AuditEvent
from gateway.audit.writer import AuditWriter
from gateway.db.session import Database
from gateway.policy.issues import PolicyIssue
from gateway.policy.models import PolicyRevision

MAX_CHANGE_LINES = 500  # a wholesale rewrite still fits one audit record


@dataclass(frozen=True)
class TenantChange:
    tenant_id: str
    changes: list[str]
    tenant_hash: str  # of the tenant's new effective policy; "" when it was removed


@dataclass(frozen=True)
class RevisionView:
    created_at: str
    tenant_id: str
    actor: str
    version: str
    previous_version: str | None
    changes: list[str]


class PolicyHistory:
    def __init__(self, database: Database, audit_writer: AuditWriter) -> None:
        self._database = database
        self._audit = audit_writer

    def record_applied(
        self,
        *,
        actor: str,
        version: str,
        previous_version: str | None,
        summary: list[str],
        tenants: Sequence[TenantChange],
    ) -> None:
        """Raises if anything cannot be stored: the caller then keeps the old set in force."""
        self._audit.write(
            AuditEvent(
                event_type="policy.reloaded",
                outcome="ok",
                actor=actor,
                policy_version=version,
                # Clear header facts: setting names and values, never term lists (see policy.diff).
                detail={"previous_version": previous_version, "changes": summary[:MAX_CHANGE_LINES]},
            )
        )
        with self._database.session() as session:
            for change in tenants:
                if self._last_tenant_hash(session, change.tenant_id) == change.tenant_hash:
                    continue  # already recorded (by another replica, or before a restart)
                session.add(
                    PolicyRevision(
                        tenant_id=change.tenant_id,
                        actor=actor,
                        version=version,
                        previous_version=previous_version,
                        changes=change.changes[:MAX_CHANGE_LINES],
                        tenant_hash=change.tenant_hash,
                    )
                )

    def record_refused(
        self, *, actor: str, version_in_force: str | None, issues: Sequence[PolicyIssue]
    ) -> None:
        self._audit.write(
            AuditEvent(
                event_type="policy.refused",
                outcome="denied",
                actor=actor,
                policy_version=version_in_force,
                error_code="policy_invalid",
                detail={"issues": [str(issue) for issue in issues][:MAX_CHANGE_LINES]},
            )
        )

    @staticmethod
    def _last_tenant_hash(session: Session, tenant_id: str) -> str | None:
        query = (
            select(PolicyRevision.tenant_hash)
            .where(PolicyRevision.tenant_id == tenant_id)
            .order_by(PolicyRevision.id.desc())
            .limit(1)
        )
        return session.scalars(query).first()

    def revisions(self, tenant_id: str, limit: int = 100) -> list[RevisionView]:
        """Newest first, for one tenant only."""
        query = (
            select(PolicyRevision)
            .where(PolicyRevision.tenant_id == tenant_id)
            .order_by(PolicyRevision.id.desc())
            .limit(limit)
        )
        with self._database.session() as session:
            return [
                RevisionView(
                    created_at=row.created_at.isoformat(),
                    tenant_id=row.tenant_id,
                    actor=row.actor,
                    version=row.version,
                    previous_version=row.previous_version,
                    changes=list(row.changes),
                )
                for row in session.scalars(query)
            ]
