"""The ledger's tables.

``audit_records`` holds the clear header and the chain hash; rows are append-only (the migration installs
triggers that refuse UPDATE and DELETE). Bodies live apart in ``audit_bodies`` so that retention can delete
a body while the header, its digest and therefore the chain stay intact. Data keys live in their own table,
only ever wrapped by the key-encryption key.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from gateway.db.base import Base, UtcDateTime


class AuditRecord(Base):
    __tablename__ = "audit_records"

    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    event_type: Mapped[str] = mapped_column(String(64), index=True)
    outcome: Mapped[str] = mapped_column(String(32))
    status_code: Mapped[int | None] = mapped_column(Integer, nullable=True)
    request_id: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    tenant_id: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    key_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    actor: Mapped[str | None] = mapped_column(String(200), nullable=True)
    endpoint: Mapped[str | None] = mapped_column(String(64), nullable=True)
    model: Mapped[str | None] = mapped_column(String(200), nullable=True)
    policy_version: Mapped[str | None] = mapped_column(String(80), nullable=True)
    stages: Mapped[list[str]] = mapped_column(JSON)
    pii_counts: Mapped[dict[str, int]] = mapped_column(JSON)
    prompt_tokens: Mapped[int | None] = mapped_column(Integer, nullable=True)
    completion_tokens: Mapped[int | None] = mapped_column(Integer, nullable=True)
    latency_ms: Mapped[int | None] = mapped_column(Integer, nullable=True)
    error_code: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # Clear, non-sensitive facts of administrative events (e.g. what a purge covered); never content.
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    body_mode: Mapped[str] = mapped_column(String(16))  # none | redacted | full
    data_key_id: Mapped[str | None] = mapped_column(String(40), nullable=True)
    # SHA-256 of nonce || ciphertext, or "" when there is no body: the chain covers the body through it.
    body_digest: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditBody(Base):
    __tablename__ = "audit_bodies"

    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    nonce: Mapped[bytes] = mapped_column(LargeBinary)
    ciphertext: Mapped[bytes] = mapped_column(LargeBinary)


class AuditDataKey(Base):
    __tablename__ = "audit_data_keys"
    __table_args__ = (UniqueConstraint("tenant_id", "version", name="uq_audit_data_keys_tenant_version"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    tenant_id: Mapped[str] = mapped_column(String(64), index=True)
    version: Mapped[int] = mapped_column(Integer)
    kek_id: Mapped[str] = mapped_column(String(64))
    wrapped_key: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    records_encrypted: Mapped[int] = mapped_column(BigInteger)


class AuditChainHead(Base):
    """One row: the last sequence number and hash. Locking it serializes every append, in every process."""

    __tablename__ = "audit_chain_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    ledger_id: Mapped[str] = mapped_column(String(64))
    last_seq: Mapped[int] = mapped_column(BigInteger)
    last_hash: Mapped[str] = mapped_column(String(64))


class AuditTenantControl(Base):
    __tablename__ = "audit_tenant_controls"

    tenant_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    retention_days: Mapped[int | None] = mapped_column(Integer, nullable=True)
    legal_hold: Mapped[bool] = mapped_column(Boolean)


class AuditCheckpoint(Base):
    """A signed (ledger, seq, hash, time); append-only like the records (the migration's triggers)."""

    __tablename__ = "audit_checkpoints"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    ledger_id: Mapped[str] = mapped_column(String(64))
    seq: Mapped[int] = mapped_column(BigInteger, index=True)
    hash: Mapped[str] = mapped_column(String(64))
    signed_time: Mapped[str] = mapped_column(String(40))  # exactly the text that was signed
    key_id: Mapped[str] = mapped_column(String(64))
    signature: Mapped[str] = mapped_column(String(128))
