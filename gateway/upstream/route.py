"""Pipeline stage: choose the engine pool, the affinity key and the tenant's prefix-cache salt.

The salt is an HMAC of the tenant id under a gateway secret, never anything a client sends, so one
tenant's cached prompt can never speed up (and so reveal itself to) another tenant's request. The
replica itself is picked by forward, which may have to try another one.
"""

from __future__ import annotations

import hashlib
import hmac

from gateway.errors import ServiceUnavailable
from gateway.pipeline.context import RequestContext
from gateway.pipeline.stage import Next, UpstreamReply
from gateway.upstream.affinity import affinity_key
from gateway.upstream.pools import UpstreamPools


def tenant_cache_salt(tenant_secret: bytes, tenant_id: str) -> str:
    return hmac.new(tenant_secret, b"cache-salt:" + tenant_id.encode(), hashlib.sha256).hexdigest()


class RouteStage:
    name = "route"

    def __init__(self, tenant_secret: bytes, pools: UpstreamPools) -> None:
        self._tenant_secret = tenant_secret
        self._pools = pools

    async def __call__(self, ctx: RequestContext, call_next: Next) -> UpstreamReply:
        if ctx.tenant_id is not None:
            ctx.cache_salt = tenant_cache_salt(self._tenant_secret, ctx.tenant_id)
        ctx.upstream_pool = ctx.policy.upstream if ctx.policy is not None else "default"
        if ctx.upstream_pool not in self._pools.names:
            # Policies are validated against the pool names, so this is a deployment mistake: fail closed.
            raise ServiceUnavailable(
                "The tenant's engine pool is not configured.", code="upstream_not_configured"
            )
        ctx.affinity_key = affinity_key(ctx.tenant_id, ctx.body, self._pools.routing.prefix_chars)
        return await call_next(ctx)
