"""Apply a tenant's actions to findings: redact, mask, pseudonymize, or note a block."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from gateway.pii.analyzer import Finding
from gateway.pii.pseudonyms import Pseudonymizer
from gateway.pii.rules import Direction, PiiAction, PiiRules

MASK_KEEP = 4


@dataclass
class Redaction:
    text: str
    counts: Counter[str] = field(default_factory=Counter)
    blocked_types: set[str] = field(default_factory=set)
    # token -> original, for the vault; only pseudonyms made on the way in are ever restorable.
    pseudonyms: dict[str, str] = field(default_factory=dict)


def actionable(findings: list[Finding], rules: PiiRules, direction: Direction) -> list[Finding]:
    """The findings a stage acts on: what ``bulwark pii scan`` reports for the request direction."""
    return [f for f in findings if rules.action_for(f.entity_type, direction) is not PiiAction.ALLOW]


def mask(value: str) -> str:
    """Keep the last 4 letters or digits and the separators: "123-45-6789" -> "***-**-6789"."""
    alnum_positions = [i for i, ch in enumerate(value) if ch.isalnum()]
    hidden = set(alnum_positions[:-MASK_KEEP]) if len(alnum_positions) > MASK_KEEP else set(alnum_positions)
    return "".join("*" if i in hidden else ch for i, ch in enumerate(value))


class Redactor:
    def __init__(self, pseudonymizer: Pseudonymizer) -> None:
        self._pseudonymizer = pseudonymizer

    def apply(
        self,
        text: str,
        findings: list[Finding],
        rules: PiiRules,
        direction: Direction,
        tenant_id: str,
    ) -> Redaction:
        """``findings`` must not overlap (``PiiAnalyzer.analyze`` merges them)."""
        redaction = Redaction(text="")
        pieces: list[str] = []
        position = 0
        for finding in sorted(findings):
            action = rules.action_for(finding.entity_type, direction)
            if action is PiiAction.ALLOW:
                continue
            redaction.counts[finding.entity_type] += 1
            if action is PiiAction.SHADOW:
                redaction.counts[f"{finding.entity_type}:{PiiAction.SHADOW}"] += 1
                continue  # counted, and forwarded as it is
            value = text[finding.start : finding.end]
            pieces.append(text[position : finding.start])
            pieces.append(self._replacement(value, finding.entity_type, action, tenant_id, redaction))
            if action is PiiAction.BLOCK:
                redaction.blocked_types.add(finding.entity_type)
            position = finding.end
        pieces.append(text[position:])
        redaction.text = "".join(pieces)
        return redaction

    def _replacement(
        self, value: str, entity_type: str, action: PiiAction, tenant_id: str, redaction: Redaction
    ) -> str:
        if action is PiiAction.MASK:
            return mask(value)
        if action is PiiAction.PSEUDONYMIZE:
            token = self._pseudonymizer.token(tenant_id, entity_type, value)
            redaction.pseudonyms[token] = value
            return token
        return f"<{entity_type}>"
