"""Console API: who am I, search headers, one header, export. Every read is itself audited."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from gateway.audit.events import AuditEvent
from gateway.auth.dependencies import CurrentPrincipal, HeaderReader
from gateway.auth.principal import Principal
from gateway.console import queries
from gateway.console.access import load_visible
from gateway.console.caching import NO_STORE, no_store
from gateway.console.export import MANIFEST_TYPE, ExportFormat, build_export, manifest
from gateway.console.schemas import PrincipalOut, RecordHeader, RecordPage
from gateway.console.state import ConsoleState, get_console
from gateway.services import ServicesDep

router = APIRouter(prefix="/console/api", tags=["console"], dependencies=[Depends(no_store)])
ConsoleDep = Annotated[ConsoleState, Depends(get_console)]
_NAME = r"^[A-Za-z0-9_.:/-]{1,200}$"  # ids, event types, model names (a model may be a path)


def record_filter(
    since: datetime | None = None,
    until: datetime | None = None,
    tenant: Annotated[str | None, Query(pattern=_NAME)] = None,
    key_id: Annotated[str | None, Query(pattern=_NAME)] = None,
    event_type: Annotated[str | None, Query(pattern=_NAME)] = None,
    outcome: Annotated[str | None, Query(pattern=_NAME)] = None,
    model: Annotated[str | None, Query(pattern=_NAME)] = None,
    pii_type: Annotated[str | None, Query(pattern=r"^[A-Z0-9_]{1,64}$")] = None,
) -> queries.RecordFilter:
    return queries.RecordFilter(since, until, tenant, key_id, event_type, outcome, model, pii_type)


FilterDep = Annotated[queries.RecordFilter, Depends(record_filter)]


def searched_tenant(principal: Principal, wanted: queries.RecordFilter) -> str | None:
    """The one tenant a search covered, so that tenant's officers see it in their log; else None."""
    if wanted.tenant_id is not None:
        return wanted.tenant_id
    if principal.tenants is not None and len(principal.tenants) == 1:
        return next(iter(principal.tenants))
    return None


@router.get("/me", response_model=PrincipalOut)
def me(principal: CurrentPrincipal) -> PrincipalOut:
    tenants = sorted(principal.tenants) if principal.tenants is not None else None
    return PrincipalOut(
        subject=principal.subject, issuer=principal.issuer, roles=sorted(principal.roles), tenants=tenants
    )


@router.get("/records", response_model=RecordPage)
def search_records(
    principal: HeaderReader,
    services: ServicesDep,
    wanted: FilterDep,
    before_seq: Annotated[int | None, Query(ge=1)] = None,
    limit: Annotated[int, Query(ge=1, le=queries.MAX_PAGE)] = 50,
) -> RecordPage:
    with services.database.session() as session:
        found = queries.search(session, principal, wanted, before_seq=before_seq, limit=limit)
        headers = [RecordHeader.of(record) for record in found]
    services.audit_writer.write(
        AuditEvent(
            event_type="console.search",
            outcome="ok",
            tenant_id=searched_tenant(principal, wanted),
            actor=principal.actor,
            endpoint="console.search",
        )
    )
    next_before = headers[-1].seq if len(headers) == limit else None
    return RecordPage(records=headers, next_before_seq=next_before)


@router.get("/records/{seq}", response_model=RecordHeader)
def record_detail(seq: int, principal: HeaderReader, services: ServicesDep) -> RecordHeader:
    record = load_visible(services.database, services.audit_writer, principal, seq, "console.read")
    services.audit_writer.write(
        AuditEvent(
            event_type="console.read",
            outcome="ok",
            tenant_id=record.tenant_id,
            actor=principal.actor,
            endpoint="console.read",
            detail={"record_seq": seq},
        )
    )
    return RecordHeader.of(record)


@router.get("/export", response_class=Response)
def export_records(
    principal: HeaderReader,
    services: ServicesDep,
    console: ConsoleDep,
    wanted: FilterDep,
    format: Annotated[ExportFormat, Query()] = "jsonl",
) -> Response:
    """Headers matching the search as JSONL or CSV; the signed manifest is in ``X-Bulwark-Manifest``."""
    with services.database.session() as session:
        export = build_export(session, principal, wanted, format)
    appended = services.audit_writer.write(
        AuditEvent(
            event_type="console.export",
            outcome="ok",
            tenant_id=searched_tenant(principal, wanted),
            actor=principal.actor,
            endpoint="console.export",
            detail={
                "export_id": export.export_id,
                "records": export.records,
                "sha256": export.sha256,
                "format": format,
            },
        )
    )
    signed = console.manifest_key.sign_document(
        manifest(export, principal, format, appended.seq), MANIFEST_TYPE
    )
    media = "application/x-ndjson" if format == "jsonl" else "text/csv"
    return Response(
        export.content,
        media_type=media,
        headers={
            "X-Bulwark-Manifest": signed,
            "Content-Disposition": f'attachment; filename="bulwark-audit-{export.export_id}.{format}"',
            **NO_STORE,
        },
    )
