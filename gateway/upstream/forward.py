"""Pipeline stage (innermost): send the request to a replica of the pool and hand back its reply.

It records exactly what the engine received and what it answered, so the audit record can prove it.

Retries: a request that failed before any byte reached the client is tried on another replica (each
replica at most once): a connection that failed or broke, a 5xx, or a 429/503 from a busy engine. A
stream is started by pulling its first event before the reply goes out, so a replica that dies before
its first token is still retried; after the first event nothing is retried (the client already has
part of an answer). Time and size bounds (504 / 502) and the engine's own 4xx are never retried.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from typing import Any, TypeVar

from gateway.errors import BulwarkError, UpstreamError, UpstreamStatusError, UpstreamTimeout
from gateway.pipeline.context import RequestContext
from gateway.pipeline.stage import JsonObject, Next, UpstreamReply
from gateway.upstream.client import EngineClient, ReplicaUnreachable, ResponseTooLarge
from gateway.upstream.pool import Replica, UpstreamPool
from gateway.upstream.pools import UpstreamPools

ENGINE_PATHS = {
    "chat.completions": "/v1/chat/completions",
    "completions": "/v1/completions",
    "responses": "/v1/chat/completions",  # translated to chat by the validate stage
    "embeddings": "/v1/embeddings",
}
# Endpoints that fill a prefix cache, and so carry the tenant's cache salt.
_CACHED = frozenset({"chat.completions", "completions", "responses"})
RETRY_STATUSES = {429, 503}
T = TypeVar("T")


class ForwardStage:
    name = "forward"

    def __init__(self, pools: UpstreamPools) -> None:
        self._pools = pools

    async def __call__(self, ctx: RequestContext, call_next: Next) -> UpstreamReply:
        pool = self._pools.pool(ctx.upstream_pool)
        if ctx.endpoint == "models":
            return UpstreamReply(body=await _with_retries(ctx, pool, lambda c: c.get_json("/v1/models")))
        body = dict(ctx.body)
        body.pop("cache_salt", None)
        if ctx.cache_salt is not None and ctx.endpoint in _CACHED:
            body["cache_salt"] = ctx.cache_salt
        client_wants_usage = bool(body.get("stream_options", {}).get("include_usage"))
        if ctx.stream:
            # Always ask for usage: audit and token budgets count streamed tokens from it.
            body["stream_options"] = {"include_usage": True}
        ctx.forwarded_body = body
        path = ENGINE_PATHS[ctx.endpoint]
        if not ctx.stream:
            response = await _with_retries(ctx, pool, lambda c: c.post_json(path, body))
            ctx.usage = response.get("usage")
            ctx.completion_parts.append(_choice_text(response.get("choices"), "message"))
            return UpstreamReply(body=response)
        chunks = await _start_stream(ctx, pool, path, body)
        return UpstreamReply(chunks=_tracked(ctx, chunks, client_wants_usage))


async def _with_retries(
    ctx: RequestContext, pool: UpstreamPool, call: Callable[[EngineClient], Awaitable[T]]
) -> T:
    tried: set[str] = set()
    while True:
        replica = _next_replica(ctx, pool, tried)
        try:
            async with pool.in_flight(replica):
                return await call(replica.client)
        except BulwarkError as error:
            _after_failure(pool, replica, error, tried)


async def _start_stream(
    ctx: RequestContext, pool: UpstreamPool, path: str, body: JsonObject
) -> AsyncIterator[JsonObject]:
    tried: set[str] = set()
    while True:
        replica = _next_replica(ctx, pool, tried)
        stack = AsyncExitStack()
        await stack.enter_async_context(pool.in_flight(replica))
        try:
            events = await replica.client.post_stream(path, body)
            first = await anext(aiter(events), None)
        except BulwarkError as error:
            await stack.aclose()
            _after_failure(pool, replica, error, tried)
            continue
        except BaseException:
            await stack.aclose()
            raise
        return _resumed(first, events, stack, pool, replica)


async def _resumed(
    first: JsonObject | None,
    events: AsyncIterator[JsonObject],
    stack: AsyncExitStack,
    pool: UpstreamPool,
    replica: Replica,
) -> AsyncIterator[JsonObject]:
    """The stream from its (already received) first event on; the replica's count ends with it."""
    async with stack:
        if first is None:
            return
        yield first
        try:
            async for event in events:
                yield event
        except ReplicaUnreachable:
            pool.mark_down(replica)
            raise


def _next_replica(ctx: RequestContext, pool: UpstreamPool, tried: set[str]) -> Replica:
    replica = pool.choose(ctx.affinity_key, frozenset(tried))
    if replica is None:
        raise ReplicaUnreachable("No replica of the engine pool could answer.")
    ctx.upstream_url = replica.url
    return replica


def _after_failure(pool: UpstreamPool, replica: Replica, error: BulwarkError, tried: set[str]) -> None:
    """Mark the replica and return if another may be tried; re-raise ``error`` if not."""
    if isinstance(error, ReplicaUnreachable):
        pool.mark_down(replica)
    if not _retryable(error):
        raise error
    tried.add(replica.url)
    if len(tried) >= len(pool.replicas):
        raise error


def _retryable(error: BulwarkError) -> bool:
    if isinstance(error, UpstreamTimeout | ResponseTooLarge):
        return False
    if isinstance(error, UpstreamStatusError):
        return error.status_code in RETRY_STATUSES
    return isinstance(error, UpstreamError)


async def _tracked(
    ctx: RequestContext, chunks: AsyncIterator[JsonObject], client_wants_usage: bool
) -> AsyncIterator[JsonObject]:
    async for chunk in chunks:
        if chunk.get("usage"):
            ctx.usage = chunk["usage"]
        ctx.completion_parts.append(_choice_text(chunk.get("choices"), "delta"))
        if not chunk.get("choices") and not client_wants_usage:
            continue  # the usage-only chunk the client did not ask for
        if not client_wants_usage:
            chunk.pop("usage", None)
        yield chunk


def _choice_text(choices: Any, key: str) -> str:
    if not isinstance(choices, list) or not choices:
        return ""
    first = choices[0]
    if not isinstance(first, dict):
        return ""
    if "text" in first:
        return str(first.get("text") or "")
    content = first.get(key, {}).get("content") if isinstance(first.get(key), dict) else None
    return str(content or "")
