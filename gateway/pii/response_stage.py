"""Pipeline stage ``scan_response``: redact PII the model writes, before ``restore`` runs.

Non-streaming answers are scanned whole: every text field (``response_texts``) and the logprob tokens
that spell them. Streams go through one ``StreamRedactor`` per text field. In the response direction
``block`` cannot refuse what is already being sent, so it redacts. What leaves this stage is recorded
for the audit body (``redacted`` mode), so the ledger never holds the engine's raw output.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace

from gateway.pii.analyzer import Finding
from gateway.pii.response_texts import TEXT_ANSWERS, TokenRun, redact_tokens, response_slots, token_runs
from gateway.pii.rules import PiiAction, PiiRules
from gateway.pii.service import PiiService
from gateway.pii.stream_redactor import StreamRedactor
from gateway.pii.stream_text import rewrite_stream
from gateway.pipeline.context import RequestContext
from gateway.pipeline.reply_text import reply_text
from gateway.pipeline.stage import JsonObject, Next, UpstreamReply


def response_rules(rules: PiiRules) -> PiiRules:
    """The same rules with ``block`` turned into ``redact`` for the response direction."""
    entities = {
        name: rule.model_copy(update={"response": PiiAction.REDACT})
        if rule.response is PiiAction.BLOCK
        else rule
        for name, rule in rules.entities.items()
    }
    default = rules.default_rule
    if default.response is PiiAction.BLOCK:
        default = default.model_copy(update={"response": PiiAction.REDACT})
    return rules.model_copy(update={"entities": entities, "default_rule": default})


class ResponseScanStage:
    name = "scan_response"

    def __init__(self, pii: PiiService) -> None:
        self._pii = pii

    async def __call__(self, ctx: RequestContext, call_next: Next) -> UpstreamReply:
        reply = await call_next(ctx)
        if ctx.endpoint not in TEXT_ANSWERS:
            return reply
        rules = response_rules(self._pii.rules_for(ctx))
        if not self._pii.screens(rules, "response"):
            return _unscreened(ctx, reply)
        tenant_id = ctx.tenant_id or ""
        if reply.body is not None:
            await self._redact_body(reply.body, rules, tenant_id)
            ctx.redacted_completion_parts.append(reply_text(reply.body))
        if reply.chunks is not None:
            chunks = rewrite_stream(reply.chunks, lambda: StreamRedactor(self._pii, rules, tenant_id))
            reply = replace(reply, chunks=_recorded(ctx, chunks))
        return reply

    async def _redact_body(self, body: JsonObject, rules: PiiRules, tenant_id: str) -> None:
        slots, runs = response_slots(body), token_runs(body)
        texts = [slot.read() for slot in slots] + [run.text for run in runs]
        all_findings = await self._pii.scan_many(texts, rules, "response")
        for slot, text, findings in zip(slots, texts, all_findings, strict=False):
            slot.write(self._pii.apply(text, findings, rules, "response", tenant_id).text)
        for run, findings in zip(runs, all_findings[len(slots) :], strict=True):
            self._redact_run(run, findings, rules, tenant_id)

    def _redact_run(self, run: TokenRun, findings: list[Finding], rules: PiiRules, tenant_id: str) -> None:
        text = run.text
        spans = []
        for finding in findings:
            whole = replace(finding, start=0, end=finding.end - finding.start)
            value = text[finding.start : finding.end]
            replacement = self._pii.apply(value, [whole], rules, "response", tenant_id).text
            if replacement != value:
                spans.append((finding.start, finding.end, replacement))
        redact_tokens(run, spans)


def _unscreened(ctx: RequestContext, reply: UpstreamReply) -> UpstreamReply:
    """Every type allowed in answers: the reply passes as it is, recorded for the audit body all the same."""
    if reply.body is not None:
        ctx.redacted_completion_parts.append(reply_text(reply.body))
    if reply.chunks is not None:
        reply = replace(reply, chunks=_recorded(ctx, reply.chunks))
    return reply


async def _recorded(ctx: RequestContext, chunks: AsyncIterator[JsonObject]) -> AsyncIterator[JsonObject]:
    async for chunk in chunks:
        ctx.redacted_completion_parts.append(reply_text(chunk))
        yield chunk
