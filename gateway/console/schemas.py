"""What the console API returns. Headers only: bodies leave the gateway solely through a reveal."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from gateway.audit.models import AuditRecord


class RecordHeader(BaseModel):
    seq: int
    created_at: datetime
    event_type: str
    outcome: str
    status_code: int | None
    request_id: str | None
    tenant_id: str | None
    key_id: str | None
    actor: str | None
    endpoint: str | None
    model: str | None
    policy_version: str | None
    stages: list[str]
    pii_counts: dict[str, int]
    prompt_tokens: int | None
    completion_tokens: int | None
    latency_ms: int | None
    error_code: str | None
    detail: dict[str, Any] | None
    body_mode: str
    has_body: bool
    hash: str

    @classmethod
    def of(cls, record: AuditRecord) -> RecordHeader:
        return cls(
            seq=record.seq,
            created_at=record.created_at,
            event_type=record.event_type,
            outcome=record.outcome,
            status_code=record.status_code,
            request_id=record.request_id,
            tenant_id=record.tenant_id,
            key_id=record.key_id,
            actor=record.actor,
            endpoint=record.endpoint,
            model=record.model,
            policy_version=record.policy_version,
            stages=list(record.stages),
            pii_counts=dict(record.pii_counts),
            prompt_tokens=record.prompt_tokens,
            completion_tokens=record.completion_tokens,
            latency_ms=record.latency_ms,
            error_code=record.error_code,
            detail=record.detail,
            body_mode=record.body_mode,
            has_body=bool(record.body_digest),
            hash=record.hash,
        )


class RecordPage(BaseModel):
    records: list[RecordHeader]
    next_before_seq: int | None = Field(description="Pass as before_seq for the next page; null at the end")


class RevealIn(BaseModel):
    reason: str = Field(min_length=10, max_length=2000, description="Why the body must be read")
    request_id: str | None = Field(default=None, description="An approved reveal request to use")


class RevealOut(BaseModel):
    status: str  # "revealed" or "pending_approval"
    record_seq: int
    request_id: str | None = None
    body: dict[str, Any] | None = None
    audit_seq: int | None = None  # the ledger record that logs this reveal


class RevealRequestOut(BaseModel):
    id: str
    record_seq: int
    tenant_id: str
    requested_by: str
    reason: str | None = None  # decrypted from the ledger; None once purged or crypto-shredded
    status: str
    created_at: datetime
    approved_by: str | None
    approved_at: datetime | None


class KeyIn(BaseModel):
    tenant: str
    name: str = Field(default="", max_length=200)
    admin: bool = False
    expires: str | None = Field(default=None, description="Lifetime such as 90d, 12h, 2w")


class KeyOut(BaseModel):
    id: str
    tenant_id: str
    name: str
    scopes: list[str]
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None


class IssuedKeyOut(KeyOut):
    key: str = Field(description="The full key. Shown once; only its digest is stored")


class PrincipalOut(BaseModel):
    subject: str
    issuer: str
    roles: list[str]
    tenants: list[str] | None
