"""``/admin/policies``: list, get, put (``?dry_run=true`` to preview), history. Thin: one service call each."""

from __future__ import annotations

from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Path, Query, Request

from gateway.admin import policy_service
from gateway.admin.auth import PolicyAdminDep
from gateway.policy.schema import TENANT_ID_PATTERN
from gateway.services import ServicesDep

router = APIRouter(prefix="/admin/policies", tags=["admin"])
TenantPath = Annotated[str, Path(pattern=TENANT_ID_PATTERN)]


@router.get("")
async def list_policies(admin: PolicyAdminDep, services: ServicesDep) -> dict[str, Any]:
    return policy_service.list_policies(services.policy, admin)


@router.get("/{tenant_id}")
async def get_policy(tenant_id: TenantPath, admin: PolicyAdminDep, services: ServicesDep) -> dict[str, Any]:
    return policy_service.get_policy(services.policy, admin, tenant_id)


@router.put("/{tenant_id}")
async def put_policy(
    tenant_id: TenantPath,
    request: Request,
    admin: PolicyAdminDep,
    services: ServicesDep,
    dry_run: Annotated[bool, Query()] = False,
) -> dict[str, Any]:
    """Body: the tenant's policy file as YAML text (``Content-Type: application/yaml``)."""
    raw = await request.body()
    return await policy_service.put_policy(services.policy, admin, tenant_id, raw, dry_run=dry_run)


@router.get("/{tenant_id}/history")
async def policy_history(
    tenant_id: TenantPath, admin: PolicyAdminDep, services: ServicesDep
) -> dict[str, Any]:
    return await anyio.to_thread.run_sync(policy_service.history, services.policy, admin, tenant_id)
