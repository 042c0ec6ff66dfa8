"""Pipeline stage ``scan_response``: redact PII the model writes, before ``restore`` runs.

Non-streaming answers are scanned whole. Streams go through ``StreamRedactor``: it holds back only the
trailing words that could still be the start of an entity (anything but plain lower-case words, and
never more than ``HOLD_CHARS``), releases the rest as soon as it has been analysed, and never releases
a character no analysis has seen. In the response direction ``block`` cannot refuse what is already
being sent, so it redacts.
"""

from __future__ import annotations

import re
from dataclasses import replace

from gateway.pii.analyzer import Finding
from gateway.pii.request_texts import TEXT_ANSWERS, response_slots
from gateway.pii.rules import PiiAction, PiiRules
from gateway.pii.service import PiiService
from gateway.pii.stream_text import rewrite_stream
from gateway.pipeline.context import RequestContext
from gateway.pipeline.stage import Next, UpstreamReply

# The most ever held back: longer than any identifier that only matches once complete (an IBAN with
# spaces is at most 42 characters). Longer entities (addresses) are matched while they grow, and a cut
# never falls inside a match.
HOLD_CHARS = 64
# Already-released text analysed again as left context, so "MRN: " before the cut still counts.
CONTEXT_CHARS = 64
# A finished word that cannot open an entity: lower-case letters, maybe closing punctuation.
_PLAIN_WORD = re.compile(r"[a-z]+[.,;:!?)]*")
_WORD = re.compile(r"\S+\s+")


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
        tenant_id = ctx.tenant_id or ""
        if reply.body is not None:
            slots = response_slots(reply.body)
            texts = [slot.read() for slot in slots]
            all_findings = await self._pii.scan_many(texts, rules, "response")
            for slot, text, findings in zip(slots, texts, all_findings, strict=True):
                redaction = self._pii.apply(text, findings, rules, "response", tenant_id)
                slot.write(redaction.text)
        if reply.chunks is not None:
            chunks = rewrite_stream(reply.chunks, lambda: StreamRedactor(self._pii, rules, tenant_id))
            reply = replace(reply, chunks=chunks)
        return reply


class StreamRedactor:
    """One choice's text: analyse (released tail + pending), release all but the held-back window."""

    def __init__(self, pii: PiiService, rules: PiiRules, tenant_id: str) -> None:
        self._pii, self._rules, self._tenant_id = pii, rules, tenant_id
        self._pending = ""
        self._released_tail = ""

    async def feed(self, delta: str) -> str:
        self._pending += delta
        if _risky_tail_start(self._pending) == 0:
            return ""
        return await self._release(final=False)

    async def finish(self) -> str:
        return await self._release(final=True) if self._pending else ""

    async def _release(self, final: bool) -> str:
        window = self._released_tail + self._pending
        offset = len(self._released_tail)
        [findings] = await self._pii.scan_many([window], self._rules, "response")
        local = [
            Finding(max(f.start - offset, 0), f.end - offset, f.entity_type, f.score, f.source)
            for f in findings
            if f.end > offset
        ]
        cut = len(self._pending) if final else _safe_cut(self._pending, local)
        released = self._pending[:cut]
        inside = [replace(f, end=min(f.end, cut)) for f in local if f.start < cut]
        text = self._pii.apply(released, inside, self._rules, "response", self._tenant_id).text
        self._pending = self._pending[cut:]
        self._released_tail = (self._released_tail + released)[-CONTEXT_CHARS:]
        return text


def _risky_tail_start(pending: str) -> int:
    """Start of what must stay held: the unfinished last word and the risky whole words before it."""
    start = max(pending.rfind(" "), pending.rfind("\n"), pending.rfind("\t")) + 1
    for word in reversed(list(_WORD.finditer(pending, 0, start))):
        if word.end() != start or _PLAIN_WORD.fullmatch(word.group().rstrip()):
            break
        start = word.start()
    return max(start, len(pending) - HOLD_CHARS)


def _safe_cut(pending: str, findings: list[Finding]) -> int:
    """Where to stop releasing: before the risky tail, on a space, never inside a finding."""
    bound = max(len(pending) - HOLD_CHARS, 0)
    cut = _risky_tail_start(pending)
    while True:
        straddling = [f.start for f in findings if f.start < cut < f.end]
        if straddling:
            cut = min(straddling)
            continue
        space = max(pending.rfind(" ", 0, cut), pending.rfind("\n", 0, cut))
        snapped = space + 1 if space >= 0 else cut
        # Snapping to a space must not hold back more than the bound (a long token without spaces).
        if snapped == cut or (snapped < bound and cut >= bound):
            return cut
        cut = snapped
