"""Queries for tenants and API keys. Builds and runs ``select()``; never commits."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.tenants.models import ApiKey, Tenant


def get_tenant(session: Session, tenant_id: str) -> Tenant | None:
    return session.get(Tenant, tenant_id)


def get_key(session: Session, public_id: str) -> ApiKey | None:
    return session.get(ApiKey, public_id)


def list_keys(session: Session, tenant_id: str | None = None) -> Sequence[ApiKey]:
    query = select(ApiKey).order_by(ApiKey.tenant_id, ApiKey.created_at)
    if tenant_id is not None:
        query = query.where(ApiKey.tenant_id == tenant_id)
    return session.scalars(query).all()
