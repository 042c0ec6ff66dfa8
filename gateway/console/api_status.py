"""Console API: integrity status and verify runs, usage charts, and the public keys for manifests."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from gateway.audit.events import AuditEvent
from gateway.auth.dependencies import StatusReader
from gateway.console.caching import no_store
from gateway.console.integrity import IntegrityOut, integrity_status, run_verify
from gateway.console.state import ConsoleState, get_console
from gateway.console.stats import StatsOut, usage_stats
from gateway.errors import PermissionDenied
from gateway.services import ServicesDep

router = APIRouter(prefix="/console/api", tags=["console"], dependencies=[Depends(no_store)])
ConsoleDep = Annotated[ConsoleState, Depends(get_console)]


@router.get("/integrity", response_model=IntegrityOut)
def integrity(_: StatusReader, services: ServicesDep, console: ConsoleDep) -> IntegrityOut:
    return integrity_status(services.database, console.checkpoint_keys)


@router.post("/integrity/verify", response_model=IntegrityOut)
def verify_now(principal: StatusReader, services: ServicesDep, console: ConsoleDep) -> IntegrityOut:
    """Verify the whole ledger now (a full pass: seconds per million records) and log the result.

    Site-wide principals only: a full pass reads every tenant's records and costs the whole ledger's
    I/O, and its result speaks for tenants a tenant-scoped user may not see."""
    if principal.tenants is not None:
        services.audit_writer.write(
            AuditEvent(
                event_type="console.denied",
                outcome="denied",
                actor=principal.actor,
                status_code=403,
                endpoint="POST /console/api/integrity/verify",
                error_code="site_wide_only",
            )
        )
        raise PermissionDenied("Only a site-wide user may verify the whole ledger.", code="site_wide_only")
    return run_verify(services.database, console.checkpoint_keys, services.audit_writer, principal.actor)


@router.get("/stats", response_model=StatsOut)
def stats(
    principal: StatusReader, services: ServicesDep, days: Annotated[int, Query(ge=1, le=90)] = 14
) -> StatsOut:
    with services.database.session() as session:
        return usage_stats(session, principal, days)


@router.get("/jwks.json")
def public_keys(_: StatusReader, console: ConsoleDep) -> dict[str, Any]:
    """The key that signs export manifests, so exports can be checked offline. Behind sign-in like every
    route (deny by default); whoever checks an export fetches it once, with the export."""
    return {"keys": [console.manifest_key.public_jwk()]}
