"""Pipeline stage ``redact``: replace PII in the request before anything is routed or forwarded.

Pseudonyms made here go into the vault under the caller's tenant and key id, so ``restore`` can put
the originals back into the answer for that key only. A ``block`` action refuses the request (400)
naming the entity types, never the values.
"""

from __future__ import annotations

import copy

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
        rules = self._pii.rules_for(ctx)
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
        ctx.body = body
        return await call_next(ctx)
