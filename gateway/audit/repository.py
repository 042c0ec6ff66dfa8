"""Reading the ledger, always within one tenant: header search and body decryption.

Decryption re-derives the canonical header from the stored row, so a ciphertext moved to another row (or
another tenant's row) fails authentication, and a tenant's bodies open only with that tenant's data key.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from cryptography.exceptions import InvalidTag
from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.audit import crypto
from gateway.audit.canonical import HEADER_FIELDS, canonical_header
from gateway.audit.keyring import DataKeyRing
from gateway.audit.models import AuditBody, AuditRecord
from gateway.errors import NotFound, ServiceUnavailable


class BodyUnavailable(NotFound):
    """The record exists but its body is gone: never stored, purged, or its key was shredded."""

    code = "audit_body_unavailable"


class BodyTampered(ServiceUnavailable):
    code = "audit_body_tampered"


def search_headers(
    session: Session,
    tenant_id: str,
    *,
    event_type: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    before_seq: int | None = None,
    limit: int = 100,
) -> Sequence[AuditRecord]:
    """Newest first; page with ``before_seq`` (the last seq of the previous page)."""
    query = select(AuditRecord).where(AuditRecord.tenant_id == tenant_id)
    if event_type is not None:
        query = query.where(AuditRecord.event_type == event_type)
    if since is not None:
        query = query.where(AuditRecord.created_at >= since)
    if until is not None:
        query = query.where(AuditRecord.created_at < until)
    if before_seq is not None:
        query = query.where(AuditRecord.seq < before_seq)
    return session.scalars(query.order_by(AuditRecord.seq.desc()).limit(limit)).all()


def get_header(session: Session, tenant_id: str, seq: int) -> AuditRecord:
    record = session.scalars(
        select(AuditRecord).where(AuditRecord.seq == seq, AuditRecord.tenant_id == tenant_id)
    ).first()
    if record is None:
        raise NotFound(f"No audit record {seq} for this tenant.")
    return record


def read_body(session: Session, keyring: DataKeyRing, tenant_id: str, seq: int) -> dict[str, Any]:
    """Decrypt one record's body for ``tenant_id``. Other tenants' records read as not found."""
    record = get_header(session, tenant_id, seq)
    if record.body_mode == "none" or record.data_key_id is None:
        raise BodyUnavailable(f"Audit record {seq} has no stored body (policy: none).")
    body = session.get(AuditBody, seq)
    if body is None:
        raise BodyUnavailable(f"The body of audit record {seq} was purged under retention.")
    key = keyring.key_by_id(session, record.data_key_id)
    if key is None or key.tenant_id != tenant_id:
        raise BodyUnavailable(f"The body of audit record {seq} was crypto-shredded.")
    return open_body(key.key, record, body)


def open_body(key: bytes, record: AuditRecord, body: AuditBody) -> dict[str, Any]:
    header = canonical_header({name: getattr(record, name) for name in HEADER_FIELDS})
    try:
        return crypto.open_body(key, bytes(body.nonce), bytes(body.ciphertext), header)
    except InvalidTag as error:
        raise BodyTampered(f"The body of audit record {record.seq} failed authentication.") from error
