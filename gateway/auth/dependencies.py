"""FastAPI dependencies for console routes: who is signed in, and whether their role allows the route.

Declared once as ``Annotated`` aliases; a route names the role it needs in its signature, so the OpenAPI
schema and the role x endpoint test see the same thing the code enforces.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request

from gateway.audit.events import AuditEvent
from gateway.auth.principal import HEADER_READERS, STATUS_READERS, Principal, Role
from gateway.auth.verify import TokenRejected, TokenVerifier
from gateway.errors import AuthenticationFailed, PermissionDenied
from gateway.services import ServicesDep
from gateway.tenants.authenticate import bearer_token

logger = logging.getLogger(__name__)


def get_verifier(request: Request) -> TokenVerifier:
    verifier = request.app.state.token_verifier
    assert isinstance(verifier, TokenVerifier)
    return verifier


async def current_principal(
    request: Request, verifier: Annotated[TokenVerifier, Depends(get_verifier)], services: ServicesDep
) -> Principal:
    token = bearer_token(request.headers.get("authorization"))
    source = client_source(request)
    if services.auth_failures.is_blocked(source, "console"):
        raise services.auth_failures.refuse(source, "console")
    try:
        if token is None:
            raise TokenRejected("no token")
        return await verifier.verify(token)
    except TokenRejected as why:
        # The reason helps an operator debug an IdP set-up; it never includes the token itself. The
        # ledger gets it in the source's aggregate record (see gateway.auth.failed_attempts).
        logger.info("console token refused: %s", why)
        code = "missing_token" if token is None else "invalid_token"
        endpoint = f"{request.method} {request.url.path}"[:64]
        services.auth_failures.record(source, "console", f"{code}: {why}", endpoint)
    if token is None:
        raise AuthenticationFailed(
            "Sign in first: send a console token as 'Authorization: Bearer <JWT>'.", code="missing_token"
        )
    raise AuthenticationFailed("Invalid or expired console token.", code="invalid_token")


def client_source(request: Request) -> str:
    return request.client.host if request.client else "unknown"


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def require(roles: frozenset[Role]) -> Callable[..., Awaitable[Principal]]:
    async def check(request: Request, principal: CurrentPrincipal, services: ServicesDep) -> Principal:
        if principal.has_any(roles):
            return principal
        await services.audit_writer.write_async(
            AuditEvent(
                event_type="console.denied",
                outcome="denied",
                actor=principal.actor,
                status_code=403,
                endpoint=f"{request.method} {request.url.path}"[:64],
                error_code="role_not_allowed",
            )
        )
        raise PermissionDenied("Your role does not allow this.", code="role_not_allowed")

    return check


HeaderReader = Annotated[Principal, Depends(require(HEADER_READERS))]
StatusReader = Annotated[Principal, Depends(require(STATUS_READERS))]
ComplianceOfficer = Annotated[Principal, Depends(require(frozenset({Role.COMPLIANCE_OFFICER})))]
Admin = Annotated[Principal, Depends(require(frozenset({Role.ADMIN})))]
