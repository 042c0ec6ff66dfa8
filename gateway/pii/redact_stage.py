"""Pipeline stage ``redact``: replace PII in the request before anything is routed or forwarded.

Every free-text field of the request is screened (``request_texts``). Pseudonyms made here go into the
vault under the caller's tenant and key id, so ``restore`` can put the originals back into the answer
for that key only. A ``block`` action refuses the request (400) naming the entity types, never the
values; a ``shadow`` action forwards the text unchanged and only counts what it found.
"""

from __future__ import annotations

import copy
from typing import Any

from gateway.errors import InvalidRequest
from gateway.pii.request_texts import request_slots
from gateway.pii.service import PiiService
from gateway.pipeline.context import RequestContext
from gateway.pipeline.stage import Next, UpstreamReply


class RedactStage:
    name = "redact"

    def __init__(self, pii: PiiService) -> None:
        self._pii = pii

    async def __call__(self, ctx: RequestContext, call_next: Next) -> UpstreamReply:
        if ctx.endpoint == "models":  # the one endpoint without a body; every other is screened
            return await call_next(ctx)
        _refuse_streamed_logprobs(ctx.stream, ctx.body)
        rules = self._pii.rules_for(ctx)
        if not self._pii.screens(rules, "request"):
            return await call_next(ctx)  # every type allowed: nothing to look for, nothing to copy
        tenant_id, key_id = ctx.tenant_id or "", ctx.key_id or ""
        body = copy.deepcopy(ctx.body)
        slots = request_slots(ctx.endpoint, body)
        texts = [slot.read() for slot in slots]
        all_findings = await self._pii.scan_many(texts, rules, "request")
        blocked: set[str] = set()
        pseudonyms: dict[str, str] = {}
        for slot, text, findings in zip(slots, texts, all_findings, strict=True):
            redaction = self._pii.apply(text, findings, rules, "request", tenant_id)
            slot.write(redaction.text)
            blocked |= redaction.blocked_types
            pseudonyms.update(redaction.pseudonyms)
            for entity_type, count in redaction.counts.items():
                ctx.count_pii(entity_type, count)
        self._pii.refuse_blocked(blocked)
        await self._pii.remember(tenant_id, key_id, pseudonyms)
        ctx.pseudonymized = bool(pseudonyms)
        ctx.body = body
        return await call_next(ctx)


def _refuse_streamed_logprobs(stream: bool, body: dict[str, Any]) -> None:
    """Streamed logprobs spell each token before the response scan has seen the words around it, so
    they cannot be screened: refused, rather than silently dropped (non-streaming logprobs are screened)."""
    wants_logprobs = body.get("logprobs") not in (None, False) or bool(body.get("top_logprobs"))
    if stream and wants_logprobs:
        raise InvalidRequest(
            "logprobs cannot be combined with stream=true: streamed tokens cannot be screened for PII. "
            "Ask without streaming.",
            param="logprobs",
            code="unsupported_parameter",
        )
