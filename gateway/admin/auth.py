"""Who may manage policies: an API key with the "admin" scope (its own tenant only), or a console
sign-in with the admin role (the tenants its token names, or every tenant when it names none).

The policy endpoints only ever see the small :class:`PolicyAdmin` type.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from gateway.auth.dependencies import client_source, current_principal, require
from gateway.auth.principal import Role
from gateway.auth.verify import TokenVerifier
from gateway.errors import AuthenticationFailed, PermissionDenied
from gateway.services import Services, ServicesDep
from gateway.tenants.authenticate import authenticate_counted, bearer_token
from gateway.tenants.key_format import PREFIX as KEY_PREFIX
from gateway.tenants.service import KeyIdentity

ADMIN_SCOPE = "admin"


@dataclass(frozen=True)
class PolicyAdmin:
    actor: str  # how history and audit records name who changed a policy
    tenants: frozenset[str] | None  # None: every tenant (a site-wide administrator)

    def may_manage(self, tenant_id: str) -> bool:
        return self.tenants is None or tenant_id in self.tenants

    def require(self, tenant_id: str) -> None:
        if not self.may_manage(tenant_id):
            raise PermissionDenied(
                "This administrator may not manage that tenant's policy.", code="tenant_not_permitted"
            )


async def require_policy_admin(request: Request, services: ServicesDep) -> PolicyAdmin:
    presented = bearer_token(request.headers.get("authorization"))
    if presented is not None and not presented.startswith(f"{KEY_PREFIX}_"):
        return await _console_admin(request, services)

    async def lookup(key: str | None) -> KeyIdentity:
        # Always the database, never a cached row: an admin key's revocation is final at once.
        return await services.keys.authenticate(key, cached=False)

    endpoint = f"{request.method} {request.url.path}"[:64]
    identity = await authenticate_counted(
        services.auth_failures, client_source(request), endpoint, presented, lookup
    )
    if ADMIN_SCOPE not in identity.scopes:
        raise PermissionDenied("This API key does not have the admin scope.", code="admin_scope_required")
    return PolicyAdmin(actor=f"key:{identity.key_id}", tenants=frozenset({identity.tenant_id}))


async def _console_admin(request: Request, services: Services) -> PolicyAdmin:
    """A console sign-in (JWT) with the admin role; its tenant claim limits it, none means site-wide.

    Uses the console's own checks, so a refused token or role is audited the same way there."""
    verifier = getattr(request.app.state, "token_verifier", None)
    if not isinstance(verifier, TokenVerifier):
        raise AuthenticationFailed("Console sign-in is not configured; use an admin API key.")
    principal = await current_principal(request, verifier, services)
    await require(frozenset({Role.ADMIN}))(request, principal, services)
    return PolicyAdmin(actor=principal.actor, tenants=principal.tenants)


PolicyAdminDep = Annotated[PolicyAdmin, Depends(require_policy_admin)]
