"""Pipeline stage: find the tenant's effective policy. No policy, no service (fail closed)."""

from __future__ import annotations

from gateway.errors import PermissionDenied, ServiceUnavailable
from gateway.pipeline.context import RequestContext
from gateway.pipeline.stage import Next, UpstreamReply
from gateway.policy.store import PolicyStore


class ResolvePolicyStage:
    name = "resolve_policy"

    def __init__(self, store: PolicyStore) -> None:
        self._store = store

    async def __call__(self, ctx: RequestContext, call_next: Next) -> UpstreamReply:
        # One snapshot for the whole request: a reload mid-request cannot mix two versions.
        policy_set = self._store.current
        if policy_set is None:
            raise ServiceUnavailable(
                "No valid policy set is loaded, so no request can be admitted.", code="policy_unavailable"
            )
        ctx.policy_version = policy_set.version
        policy = policy_set.get(ctx.tenant_id)
        if policy is None:
            raise PermissionDenied(
                "No policy is configured for this tenant, so its requests are refused.", code="no_policy"
            )
        ctx.policy = policy
        return await call_next(ctx)
