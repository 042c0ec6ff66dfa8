"""Pipeline stage: apply the tenant's limits. Checks and slots are taken before forwarding; tokens are
counted from the engine's final usage afterwards (for a stream, when it ends, however it ends)."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from dataclasses import replace

import anyio

from gateway.errors import RateLimited, ServiceUnavailable
from gateway.limits.backend import LimitBackend
from gateway.limits.request_checks import check_request
from gateway.limits.rules import Admission, Denial, plan_admission
from gateway.pipeline.context import RequestContext
from gateway.pipeline.stage import JsonObject, Next, UpstreamReply
from gateway.policy.schema import TenantPolicy


class EnforceLimitsStage:
    name = "enforce_limits"

    def __init__(self, backend: LimitBackend) -> None:
        self._backend = backend

    async def __call__(self, ctx: RequestContext, call_next: Next) -> UpstreamReply:
        policy = ctx.policy
        if not isinstance(policy, TenantPolicy) or ctx.identity is None:
            # resolve_policy always runs first; reaching here without a policy is a wiring bug.
            raise ServiceUnavailable("No policy was resolved for this request.", code="policy_unavailable")
        if ctx.endpoint == "models":
            return _only_allowed_models(await call_next(ctx), policy)
        estimated_input = check_request(policy, ctx)
        # A lease id of our own: the request id can come from the client, and a repeated id must not
        # let two requests share one slot.
        lease = f"{ctx.request_id}:{secrets.token_hex(8)}"
        admission = plan_admission(policy, ctx.identity.tenant_id, ctx.identity.key_id, lease)
        denial = await self._backend.admit(admission)
        if denial is not None:
            raise _refusal(denial)
        try:
            reply = await call_next(ctx)
        except BaseException:
            await self._settle(ctx, admission, estimated_input)
            raise
        if reply.chunks is None:
            await self._settle(ctx, admission, estimated_input)
            return reply
        return replace(reply, chunks=self._settled_stream(ctx, admission, estimated_input, reply.chunks))

    async def _settled_stream(
        self,
        ctx: RequestContext,
        admission: Admission,
        estimated_input: int,
        chunks: AsyncIterator[JsonObject],
    ) -> AsyncIterator[JsonObject]:
        try:
            async for chunk in chunks:
                yield chunk
        finally:
            await self._settle(ctx, admission, estimated_input)

    async def _settle(self, ctx: RequestContext, admission: Admission, estimated_input: int) -> None:
        # Shielded: a client that disconnects must still pay for the tokens it made the engine produce.
        with anyio.CancelScope(shield=True):
            await self._backend.settle(admission, tokens_used(ctx, estimated_input))


def tokens_used(ctx: RequestContext, estimated_input: int) -> int:
    """The engine's reported usage; if the response ended before it arrived, an estimate."""
    usage = ctx.usage or {}
    total = usage.get("total_tokens")
    if isinstance(total, int):
        return total
    parts = usage.get("prompt_tokens"), usage.get("completion_tokens")
    if all(isinstance(part, int) for part in parts):
        return int(parts[0]) + int(parts[1])  # type: ignore[arg-type]
    produced = sum(1 for part in ctx.completion_parts if part)
    return estimated_input + produced if produced else 0


def _refusal(denial: Denial) -> RateLimited:
    rule, retry = denial.rule, denial.retry_after_s
    headers = {"Retry-After": str(retry)}
    if denial.is_budget:
        return RateLimited(
            f"This tenant's {rule.label} of {rule.limit} tokens is spent; it resets in {retry} s. "
            "Ask your administrator to raise the budget if you need more.",
            code="budget_exhausted",
            headers=headers,
        )
    return RateLimited(
        f"Rate limit reached: {rule.limit} {rule.label}. Retry after {retry} s.",
        code="rate_limit_exceeded",
        headers=headers,
    )


def _only_allowed_models(reply: UpstreamReply, policy: TenantPolicy) -> UpstreamReply:
    body = reply.body
    if body is None or not isinstance(body.get("data"), list):
        return reply
    visible = [m for m in body["data"] if isinstance(m, dict) and policy.allows_model(str(m.get("id")))]
    return replace(reply, body={**body, "data": visible})
