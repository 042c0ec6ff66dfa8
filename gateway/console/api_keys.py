"""Console API for admins: create, list and revoke API keys, within the admin's tenants."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from gateway.auth.dependencies import Admin
from gateway.console.caching import no_store
from gateway.console.schemas import IssuedKeyOut, KeyIn, KeyOut
from gateway.errors import NotFound, PermissionDenied
from gateway.services import ServicesDep
from gateway.tenants import repository, service
from gateway.tenants.models import ApiKey

router = APIRouter(prefix="/console/api/keys", tags=["console-admin"], dependencies=[Depends(no_store)])


def _out(key: ApiKey) -> KeyOut:
    return KeyOut(
        id=key.id,
        tenant_id=key.tenant_id,
        name=key.name,
        scopes=sorted(key.scope_set),
        created_at=key.created_at,
        expires_at=key.expires_at,
        revoked_at=key.revoked_at,
    )


@router.get("", response_model=list[KeyOut])
def list_keys(principal: Admin, services: ServicesDep) -> list[KeyOut]:
    with services.database.session() as session:
        keys = repository.list_keys(session)
        return [_out(key) for key in keys if principal.may_see_tenant(key.tenant_id)]


@router.post("", response_model=IssuedKeyOut, status_code=201)
def create_key(payload: KeyIn, principal: Admin, services: ServicesDep) -> IssuedKeyOut:
    if not principal.may_see_tenant(payload.tenant):
        raise PermissionDenied("You do not administer this tenant.", param="tenant")
    scopes = frozenset({"inference", "admin"} if payload.admin else {"inference"})
    with services.database.session() as session:
        expires_in = service.parse_duration(payload.expires) if payload.expires else None
        issued = service.create_key(
            session,
            services.settings.secret("key_pepper"),
            payload.tenant,
            name=payload.name,
            scopes=scopes,
            expires_in=expires_in,
            actor=principal.actor,  # its record commits with the key itself
        )
        return IssuedKeyOut(**_out(issued.record).model_dump(), key=issued.key)


@router.post("/{key_id}/revoke", response_model=KeyOut)
def revoke_key(key_id: str, principal: Admin, services: ServicesDep) -> KeyOut:
    with services.database.session() as session:
        key = repository.get_key(session, key_id)
        if key is None or not principal.may_see_tenant(key.tenant_id):
            raise NotFound(f"No API key with id {key_id!r}", param="key_id")
        service.revoke_key(session, key_id, actor=principal.actor)
    services.keys.forget(key_id)  # refused here at once; other replicas within the cache's ttl
    return _out(key)
