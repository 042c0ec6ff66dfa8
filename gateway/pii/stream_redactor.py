"""``StreamRedactor``: redact PII in one streamed text field while it is being generated.

It holds back only the trailing words that could still be the start of an entity (anything but plain
lower-case words, and never more than ``HOLD_CHARS``), releases the rest as soon as it has been analysed,
and never releases a character no analysis has seen.
"""

from __future__ import annotations

import re
from dataclasses import replace

from gateway.pii.analyzer import Finding
from gateway.pii.rules import PiiRules
from gateway.pii.service import PiiService

# The most ever held back: longer than any identifier that only matches once complete (an IBAN with
# spaces is at most 42 characters). Longer entities (addresses) are matched while they grow, and a cut
# never falls inside a match.
HOLD_CHARS = 64
# Already-released text analysed again as left context, so "MRN: " before the cut still counts.
CONTEXT_CHARS = 64
# A finished word that cannot open an entity: lower-case letters, maybe closing punctuation.
_PLAIN_WORD = re.compile(r"[a-z]+[.,;:!?)]*")
_WORD = re.compile(r"\S+\s+")


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
