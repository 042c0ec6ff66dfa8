"""A span and a latency sample per pipeline stage, and per-request counters, from one wrapper.

Stages nest like middleware, so a stage's own time is its total minus the time spent in ``call_next``;
an error belongs to the stage that raised it, not to the outer stages it passes through. For a stream
the stage spans end when the reply starts; the time to first token and between tokens is measured as
the client receives the chunks, and the request is counted when the stream ends.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import replace

from opentelemetry import trace
from opentelemetry.trace import INVALID_SPAN, Span, Status, StatusCode, Tracer

from gateway.errors import BulwarkError, UpstreamStatusError
from gateway.pii.rules import PiiRules
from gateway.pipeline.context import RequestContext
from gateway.pipeline.stage import JsonObject, Next, Stage, UpstreamReply
from gateway.telemetry.metrics import GatewayMetrics

# Stages whose 4xx refusals are the tenant's policy speaking (429s anywhere are limit hits).
POLICY_STAGES = frozenset({"resolve_policy", "enforce_limits", "redact"})
NO_TENANT = "none"


def error_code(error: BaseException) -> str:
    """A bounded, content-free reason: our own codes; an upstream's status, never its free-form code."""
    if isinstance(error, UpstreamStatusError):
        return f"upstream_{error.status_code}"
    if isinstance(error, BulwarkError):
        return error.code or "error"
    return "internal_error"


def _has_text(chunk: JsonObject) -> bool:
    choices = chunk.get("choices")
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        return False
    choice = choices[0]
    delta = choice.get("delta")
    return bool(choice.get("text") or (isinstance(delta, dict) and delta.get("content")))


class PipelineTelemetry:
    def __init__(self, metrics: GatewayMetrics, tracer: Tracer | None, served_models: Iterable[str]) -> None:
        """``tracer`` None: tracing is off, and no span (not even a no-op one) is made per stage."""
        self._metrics = metrics
        self._tracer = tracer
        self._models = frozenset(served_models)

    def _stage_span(self, name: str) -> AbstractContextManager[Span]:
        if self._tracer is None:
            return nullcontext(INVALID_SPAN)
        return self._tracer.start_as_current_span(
            f"stage {name}",
            attributes={"bulwark.stage": name},
            record_exception=False,  # exception messages may quote request content
            set_status_on_exception=False,
        )

    def _tenant(self, ctx: RequestContext) -> str:
        return ctx.tenant_id or NO_TENANT

    def _model(self, ctx: RequestContext) -> str:
        # A client can send any model name before validation refuses it: it never becomes a label.
        if ctx.model is None:
            return ""
        return ctx.model if ctx.model in self._models else "other"

    async def around_stage(self, stage: Stage, ctx: RequestContext, call_next: Next) -> UpstreamReply:
        passed_through: list[BaseException] = []
        inner_s = 0.0

        async def timed_next(inner_ctx: RequestContext) -> UpstreamReply:
            nonlocal inner_s
            started = time.perf_counter()
            try:
                return await call_next(inner_ctx)
            except BaseException as error:
                passed_through.append(error)
                raise
            finally:
                inner_s += time.perf_counter() - started

        started = time.perf_counter()
        outcome = "ok"
        with self._stage_span(stage.name) as span:
            try:
                return await stage(ctx, timed_next)
            except BaseException as error:
                own = not any(error is seen for seen in passed_through)
                outcome = self._stage_failed(stage.name, ctx, error, own, span)
                raise
            finally:
                span.set_attribute("bulwark.stage.outcome", outcome)
                own_s = max(time.perf_counter() - started - inner_s, 0.0)
                self._metrics.stage_seconds.labels(stage.name, self._tenant(ctx), outcome).observe(own_s)

    def _stage_failed(
        self, name: str, ctx: RequestContext, error: BaseException, own: bool, span: Span
    ) -> str:
        if not own:
            return "inner_error"
        if not isinstance(error, Exception):
            return "cancelled"
        code = error_code(error)
        span.set_attribute("bulwark.error.code", code)
        status = error.status_code if isinstance(error, BulwarkError) else 500
        if status == 429:
            self._metrics.limit_hits.labels(self._tenant(ctx), code).inc()
        elif 400 <= status < 500 and name in POLICY_STAGES:
            self._metrics.policy_denials.labels(self._tenant(ctx), code).inc()
        if status >= 500:
            span.set_status(Status(StatusCode.ERROR, code))
            return "failed"
        return "refused"

    async def around_request(self, ctx: RequestContext, handler: Next) -> UpstreamReply:
        request_span = trace.get_current_span()
        try:
            reply = await handler(ctx)
        except BaseException as error:
            self._finish(
                ctx, request_span, error_code(error) if isinstance(error, Exception) else "cancelled"
            )
            raise
        if reply.chunks is None:
            self._finish(
                ctx, request_span, "ok" if reply.status_code < 400 else f"status_{reply.status_code}"
            )
            return reply
        return replace(reply, chunks=self._timed_stream(ctx, request_span, reply.chunks))

    async def _timed_stream(
        self, ctx: RequestContext, request_span: Span, chunks: AsyncIterator[JsonObject]
    ) -> AsyncIterator[JsonObject]:
        labels = (self._tenant(ctx), self._model(ctx))
        outcome, last = "cancelled", None
        try:
            async for chunk in chunks:
                if _has_text(chunk):
                    now = time.monotonic()
                    if last is None:
                        self._metrics.time_to_first_token.labels(*labels).observe(now - ctx.started_at)
                    else:
                        self._metrics.inter_token_latency.labels(*labels).observe(now - last)
                    last = now
                yield chunk
            outcome = "ok"
        except Exception as error:
            outcome = error_code(error)
            raise
        finally:
            self._finish(ctx, request_span, outcome)

    def _finish(self, ctx: RequestContext, request_span: Span, outcome: str) -> None:
        tenant, model = self._tenant(ctx), self._model(ctx)
        self._metrics.requests.labels(tenant, model, ctx.endpoint, outcome).inc()
        rules = ctx.policy.pii if ctx.policy is not None else PiiRules.default()
        for entity_type, count in ctx.pii_counts.items():
            action = rules.action_for(entity_type, "request").value
            self._metrics.pii_findings.labels(tenant, entity_type, action).inc(count)
        request_span.set_attributes(
            {
                "bulwark.tenant_id": tenant,
                "bulwark.key_id": ctx.key_id or "",
                "bulwark.endpoint": ctx.endpoint,
                "bulwark.model": model,
                "bulwark.outcome": outcome,
            }
        )
