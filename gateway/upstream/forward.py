"""Pipeline stage (innermost): send the request to the engine and hand back its reply.

It records exactly what the engine received and what it answered, so the audit record can prove it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from gateway.pipeline.context import RequestContext
from gateway.pipeline.stage import JsonObject, Next, UpstreamReply
from gateway.upstream.client import EngineClient

ENGINE_PATHS = {
    "chat.completions": "/v1/chat/completions",
    "completions": "/v1/completions",
    "responses": "/v1/chat/completions",  # translated to chat by the validate stage
    "embeddings": "/v1/embeddings",
}
# Endpoints that fill a prefix cache, and so carry the tenant's cache salt.
_CACHED = frozenset({"chat.completions", "completions", "responses"})


class ForwardStage:
    name = "forward"

    def __init__(self, client: EngineClient) -> None:
        self._client = client

    async def __call__(self, ctx: RequestContext, call_next: Next) -> UpstreamReply:
        if ctx.endpoint == "models":
            return UpstreamReply(body=await self._client.get_json("/v1/models"))
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
            response = await self._client.post_json(path, body)
            ctx.usage = response.get("usage")
            ctx.completion_parts.append(_choice_text(response.get("choices"), "message"))
            return UpstreamReply(body=response)
        chunks = await self._client.post_stream(path, body)
        return UpstreamReply(chunks=_tracked(ctx, chunks, client_wants_usage))


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
