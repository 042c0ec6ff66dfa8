"""Console API: reveal a body (compliance officers, with a reason), reveal requests and approvals."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from sqlalchemy import select

from gateway.audit.events import AuditEvent
from gateway.auth.dependencies import ComplianceOfficer
from gateway.console import reveal as reveal_service
from gateway.console.access import load_visible
from gateway.console.caching import no_store
from gateway.console.models import RevealRequest
from gateway.console.schemas import RevealIn, RevealOut, RevealRequestOut
from gateway.console.state import ConsoleState, get_console
from gateway.errors import BulwarkError
from gateway.services import ServicesDep

router = APIRouter(prefix="/console/api", tags=["console"], dependencies=[Depends(no_store)])
ConsoleDep = Annotated[ConsoleState, Depends(get_console)]


@router.post("/records/{seq}/reveal", response_model=RevealOut)
def reveal_body(
    seq: int, payload: RevealIn, principal: ComplianceOfficer, services: ServicesDep, console: ConsoleDep
) -> RevealOut:
    record = load_visible(services.database, services.audit_writer, principal, seq, "console.reveal")
    needs_approval = record.tenant_id is not None and console.approval_required(record.tenant_id)
    try:
        with services.database.session() as session:
            return reveal_service.reveal(
                session,
                console.keyring,
                principal,
                seq,
                payload.reason,
                needs_approval=needs_approval,
                request_id=payload.request_id,
            )
    except BulwarkError as error:
        # A refused or failed reveal is evidence too (no reason stored: it was not acted on).
        services.audit_writer.write(
            AuditEvent(
                event_type="console.reveal",
                outcome="denied" if error.status_code in (401, 403) else "error",
                tenant_id=record.tenant_id,
                actor=principal.actor,
                status_code=error.status_code,
                endpoint="console.reveal",
                error_code=error.code,
                detail={"record_seq": seq},
            )
        )
        raise


@router.get("/reveal-requests", response_model=list[RevealRequestOut])
def list_reveal_requests(
    principal: ComplianceOfficer, services: ServicesDep, console: ConsoleDep
) -> list[RevealRequestOut]:
    query = select(RevealRequest).order_by(RevealRequest.created_at.desc()).limit(200)
    if principal.tenants is not None:
        query = query.where(RevealRequest.tenant_id.in_(sorted(principal.tenants)))
    with services.database.session() as session:
        found = session.scalars(query).all()
        return [reveal_service.request_out(session, console.keyring, request) for request in found]


@router.post("/reveal-requests/{request_id}/approve", response_model=RevealRequestOut)
def approve_reveal_request(
    request_id: str, principal: ComplianceOfficer, services: ServicesDep, console: ConsoleDep
) -> RevealRequestOut:
    with services.database.session() as session:
        request = reveal_service.approve(session, console.keyring, principal, request_id)
        return reveal_service.request_out(session, console.keyring, request)
