"""Who may manage policies: for now an API key with the "admin" scope, limited to its own tenant.

The console's JWT sign-in can map its admin principals onto :class:`PolicyAdmin` as well; the policy
endpoints only ever see this small type.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import anyio
from fastapi import Depends, Request

from gateway.errors import PermissionDenied
from gateway.services import ServicesDep
from gateway.tenants.authenticate import bearer_token
from gateway.tenants.service import KeyIdentity, authenticate

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
    pepper = services.settings.secret("key_pepper")

    def lookup() -> KeyIdentity:
        with services.database.session() as session:
            return authenticate(session, pepper, presented)

    identity = await anyio.to_thread.run_sync(lookup)
    if ADMIN_SCOPE not in identity.scopes:
        raise PermissionDenied("This API key does not have the admin scope.", code="admin_scope_required")
    return PolicyAdmin(actor=f"key:{identity.key_id}", tenants=frozenset({identity.tenant_id}))


PolicyAdminDep = Annotated[PolicyAdmin, Depends(require_policy_admin)]
