"""Policy change history: one row per tenant whose effective policy changed, with who changed it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from gateway.db.base import Base, UtcDateTime, utc_now


class PolicyRevision(Base):
    __tablename__ = "policy_revisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utc_now)
    tenant_id: Mapped[str] = mapped_column(String(64), index=True)
    # "key:<id>" for the admin API, "file-watch" / "signal:SIGHUP" / "startup" for file edits.
    actor: Mapped[str] = mapped_column(String(200))
    version: Mapped[str] = mapped_column(String(80))  # the policy set version this change produced
    previous_version: Mapped[str | None] = mapped_column(String(80), nullable=True)
    changes: Mapped[list[str]] = mapped_column(JSON, default=list)  # diff lines, term values withheld
    # Hash of this tenant's effective policy ("" once removed): replicas reloading the same edit, and
    # restarts, recognise a change already recorded.
    tenant_hash: Mapped[str] = mapped_column(String(64), default="")
