"""Reveal requests: who asked to read which record's body, why, and who approved it.

A request is consumed by exactly one reveal; each step is also an audit record, so this table is a work
queue, not the evidence (the ledger is).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from gateway.db.base import Base, UtcDateTime


class RevealRequest(Base):
    __tablename__ = "console_reveal_requests"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    record_seq: Mapped[int] = mapped_column(BigInteger, index=True)
    tenant_id: Mapped[str] = mapped_column(String(64), index=True)
    requested_by: Mapped[str] = mapped_column(String(400))
    # The officer's stated purpose may name a patient, so it is never stored here in clear: it lives only
    # in the encrypted body of this ledger record (the "reveal_requested" event), where the approver's
    # view decrypts it and a tenant's crypto-shred removes it with the rest of its bodies.
    reason_seq: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    status: Mapped[str] = mapped_column(String(16))  # pending | approved | used
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    approved_by: Mapped[str | None] = mapped_column(String(400), nullable=True)
    approved_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
