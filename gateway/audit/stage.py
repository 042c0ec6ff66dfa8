"""Exactly one audit record per authenticated request, written whatever happened inside.

Only ``authenticate`` runs outside it: a refused key is counted per source and recorded in aggregate
(``gateway.auth.failed_attempts``), so unauthenticated floods never take the ledger's write lock.

Before anything is forwarded the stage is admitted by the writer: a write transaction on the ledger has
just committed, so a broken ledger refuses the request with 503 and the engine never sees it. The client
only gets its answer after the record is committed. For a stream, the record is committed before the
final ``[DONE]``; if it cannot be written the client gets a 503 (or an error event) instead.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from dataclasses import replace

import anyio

from gateway.audit.events import AuditEvent
from gateway.audit.writer import AuditWriter
from gateway.errors import BulwarkError, ServiceUnavailable
from gateway.pipeline.context import RequestContext
from gateway.pipeline.reply_text import reply_text
from gateway.pipeline.stage import JsonObject, Next, UpstreamReply

logger = logging.getLogger(__name__)


class AuditStage:
    name = "audit"

    def __init__(self, writer: AuditWriter) -> None:
        self._writer = writer

    async def __call__(self, ctx: RequestContext, call_next: Next) -> UpstreamReply:
        await self._admit()
        try:
            reply = await call_next(ctx)
        except BulwarkError as error:
            await self._record(ctx, outcome="error", status=error.status_code, error_code=error.code)
            raise
        except Exception:
            await self._record(ctx, outcome="error", status=500, error_code="internal_error")
            raise
        if reply.chunks is None:
            if reply.body is not None:
                ctx.client_completion_parts.append(reply_text(reply.body))
            await self._record(ctx, outcome="ok", status=reply.status_code, error_code=None)
            return reply
        return replace(reply, chunks=self._audited_stream(ctx, reply.chunks))

    async def _audited_stream(
        self, ctx: RequestContext, chunks: AsyncIterator[JsonObject]
    ) -> AsyncIterator[JsonObject]:
        outcome, status = "cancelled", 499
        error_code: str | None = "client_disconnected"
        try:
            async for chunk in chunks:
                ctx.client_completion_parts.append(reply_text(chunk))
                yield chunk
            outcome, status, error_code = "ok", 200, None
        except BulwarkError as error:
            outcome, status, error_code = "error", error.status_code, error.code
            raise
        finally:
            # Shielded: a client that disconnects must not cancel the record of its own request.
            with anyio.CancelScope(shield=True):
                await self._record(ctx, outcome=outcome, status=status, error_code=error_code)

    async def _admit(self) -> None:
        try:
            await self._writer.admit_async()
        except Exception as error:
            logger.error("audit admission failed: %s", type(error).__name__)
            raise _unavailable() from error

    async def _record(
        self, ctx: RequestContext, *, outcome: str, status: int, error_code: str | None
    ) -> None:
        usage = ctx.usage or {}
        mode = _body_mode(ctx)
        event = AuditEvent(
            event_type="request",
            outcome=outcome,
            request_id=ctx.request_id,
            tenant_id=ctx.tenant_id,
            key_id=ctx.key_id,
            status_code=status,
            endpoint=ctx.endpoint,
            model=ctx.model,
            policy_version=ctx.policy_version,
            stages=list(ctx.stages_run),
            pii_counts=dict(ctx.pii_counts),
            prompt_tokens=usage.get("prompt_tokens"),
            completion_tokens=usage.get("completion_tokens"),
            latency_ms=ctx.elapsed_ms(),
            error_code=error_code,
            body=_body_for_audit(ctx, mode),
            body_mode=mode,
        )
        try:
            await self._writer.write_async(event)
        except Exception as error:
            # Never log the event itself: it holds prompts. The type of failure is enough to act on.
            logger.error("audit write failed: %s", type(error).__name__)
            raise _unavailable() from error


def _unavailable() -> ServiceUnavailable:
    return ServiceUnavailable(
        "The audit log is unavailable, so the request was not completed.", code="audit_unavailable"
    )


def _body_mode(ctx: RequestContext) -> str:
    """The tenant policy's ``audit.store_bodies``; before a policy resolved (e.g. a refused key), what the
    stage holds: the forwarded request, already redacted when a redaction stage ran."""
    if ctx.policy is not None:
        return ctx.policy.audit.store_bodies
    return "redacted" if "redact" in ctx.stages_run else "full"


def _body_for_audit(ctx: RequestContext, mode: str) -> JsonObject | None:
    """The forwarded request and the answer the client got: exactly ("full"), or as it left the
    response scan ("redacted": the caller's own pseudonyms stay pseudonyms). Never the engine's raw
    output, which may hold PII the response scan removed."""
    if ctx.forwarded_body is None or mode == "none":
        return None
    parts = ctx.client_completion_parts if mode == "full" else ctx.redacted_completion_parts
    return {"request": ctx.forwarded_body, "completion": "".join(parts)}
