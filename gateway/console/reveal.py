"""Reading a record's body: compliance officers only, with a stated reason, and always on the record.

The reveal's own audit record is appended in the same transaction that reads the body, so a body is
never returned unless the ledger has committed who read it and why. Where the policy asks for it, a
second officer must approve a pending request first; the requester can never approve their own.
"""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.audit.events import AuditEvent
from gateway.audit.keyring import DataKeyRing
from gateway.audit.repository import BodyUnavailable, read_body
from gateway.audit.writer import add_record
from gateway.auth.principal import Principal
from gateway.console.access import visible_record
from gateway.console.models import RevealRequest
from gateway.console.schemas import RevealOut, RevealRequestOut
from gateway.db.base import utc_now
from gateway.errors import InvalidRequest, NotFound, PermissionDenied


def _event(kind: str, principal: Principal, tenant_id: str, seq: int, **detail: Any) -> AuditEvent:
    return AuditEvent(
        event_type=f"console.{kind}",
        outcome="ok",
        tenant_id=tenant_id,
        actor=principal.actor,
        endpoint="console.reveal",
        detail={"record_seq": seq, **detail},
    )


def request_reveal(
    session: Session, keyring: DataKeyRing, principal: Principal, tenant_id: str, seq: int, reason: str
) -> RevealOut:
    request = RevealRequest(
        id=f"rr_{secrets.token_hex(8)}",
        record_seq=seq,
        tenant_id=tenant_id,
        requested_by=principal.actor,
        status="pending",
        created_at=utc_now(),
    )
    session.add(request)
    event = _event("reveal_requested", principal, tenant_id, seq, reveal_request=request.id)
    event.body = {"reason": reason}  # the reason may name a patient: encrypted, never in the header
    appended = add_record(session, event, keyring)
    request.reason_seq = appended.seq
    return RevealOut(status="pending_approval", record_seq=seq, request_id=request.id, audit_seq=appended.seq)


def request_out(session: Session, keyring: DataKeyRing, request: RevealRequest) -> RevealRequestOut:
    """The request as an approver sees it, its reason decrypted from the ledger (None once shredded)."""
    reason: str | None = None
    if request.reason_seq is not None:
        try:
            reason = str(read_body(session, keyring, request.tenant_id, request.reason_seq)["reason"])
        except BodyUnavailable:
            reason = None
    out = RevealRequestOut.model_validate(request, from_attributes=True)
    return out.model_copy(update={"reason": reason})


def approve(session: Session, keyring: DataKeyRing, principal: Principal, request_id: str) -> RevealRequest:
    request = session.get(RevealRequest, request_id)
    if request is None or not principal.may_see_tenant(request.tenant_id):
        raise NotFound(f"No reveal request {request_id!r}.", param="request_id")
    if request.requested_by == principal.actor:
        raise PermissionDenied("A second compliance officer must approve this reveal.", code="self_approval")
    if request.status != "pending":
        raise InvalidRequest(f"The reveal request is {request.status}, not pending.", param="request_id")
    request.status, request.approved_by, request.approved_at = "approved", principal.actor, utc_now()
    add_record(
        session,
        _event(
            "reveal_approved", principal, request.tenant_id, request.record_seq, reveal_request=request.id
        ),
        keyring,
    )
    return request


def _open_request(session: Session, principal: Principal, seq: int) -> RevealRequest | None:
    """This officer's pending or approved (not yet used) request for this record, if any."""
    return session.scalars(
        select(RevealRequest)
        .where(
            RevealRequest.record_seq == seq,
            RevealRequest.requested_by == principal.actor,
            RevealRequest.status.in_(("pending", "approved")),
        )
        .order_by(RevealRequest.created_at.desc())
        .limit(1)
    ).first()


def _consume_approval(session: Session, principal: Principal, seq: int, request_id: str | None) -> str:
    request = session.get(RevealRequest, request_id) if request_id else None
    if request is None or request.record_seq != seq or request.requested_by != principal.actor:
        raise PermissionDenied("This reveal needs an approved request of yours.", code="approval_required")
    if request.status != "approved":
        raise PermissionDenied(f"The reveal request is {request.status}.", code="approval_required")
    request.status = "used"
    return request.id


def reveal(
    session: Session,
    keyring: DataKeyRing,
    principal: Principal,
    seq: int,
    reason: str,
    *,
    needs_approval: bool,
    request_id: str | None,
) -> RevealOut:
    record = visible_record(session, principal, seq)
    if record is None or record.tenant_id is None:
        raise NotFound(f"No audit record {seq}.", param="seq")
    tenant_id = record.tenant_id
    if needs_approval and request_id is None:
        waiting = _open_request(session, principal, seq)
        if waiting is None:
            return request_reveal(session, keyring, principal, tenant_id, seq, reason)
        if waiting.status == "pending":
            return RevealOut(status="pending_approval", record_seq=seq, request_id=waiting.id)
        request_id = waiting.id
    used = _consume_approval(session, principal, seq, request_id) if needs_approval else None
    body = read_body(session, keyring, tenant_id, seq)
    event = _event("reveal", principal, tenant_id, seq, reveal_request=used)
    event.body = {"reason": reason}
    appended = add_record(session, event, keyring)
    return RevealOut(status="revealed", record_seq=seq, request_id=used, body=body, audit_seq=appended.seq)
