"""Pipeline stage: find the tenant's effective policy. No policy, no service (fail closed)."""

from __future__ import annotations

from gateway.errors import NotFound, PermissionDenied, ServiceUnavailable
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
        if ctx.model is not None and ctx.model not in self._store.options.known_models:
            # Not served here at all (as the engine would say): 404. Served but outside this tenant's
            # allow-list is enforce_limits' 403.
            # The string is the client's and may carry anything (a name, a record number): it is
            # neither echoed nor kept for the audit header, which is stored in clear.
            ctx.model = None
            raise NotFound("The requested model does not exist.", param="model", code="model_not_found")
        return await call_next(ctx)
