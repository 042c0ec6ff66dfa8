"""Pipeline stage: choose the engine and derive the tenant's prefix-cache salt.

The salt is an HMAC of the tenant id under a gateway secret, never anything a client sends, so one
tenant's cached prompt can never speed up (and so reveal itself to) another tenant's request.
"""

from __future__ import annotations

import hashlib
import hmac

from gateway.pipeline.context import RequestContext
from gateway.pipeline.stage import Next, UpstreamReply


def tenant_cache_salt(tenant_secret: bytes, tenant_id: str) -> str:
    return hmac.new(tenant_secret, b"cache-salt:" + tenant_id.encode(), hashlib.sha256).hexdigest()


class RouteStage:
    name = "route"

    def __init__(self, tenant_secret: bytes, default_upstream: str) -> None:
        self._tenant_secret = tenant_secret
        self._default_upstream = default_upstream

    async def __call__(self, ctx: RequestContext, call_next: Next) -> UpstreamReply:
        if ctx.tenant_id is not None:
            ctx.cache_salt = tenant_cache_salt(self._tenant_secret, ctx.tenant_id)
        ctx.upstream_url = self._default_upstream
        return await call_next(ctx)
