"""Findings from a tenant's own policy: deny-listed terms and custom regex recognizers.

Custom patterns come from a policy file, so they run on the ``regex`` engine with a time limit: a
catastrophically backtracking pattern raises ``TimeoutError``, which fails the request closed (503)
instead of pinning a worker thread for minutes.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import regex

from gateway.pii.rules import CustomRecognizer, PiiRules

if TYPE_CHECKING:
    from gateway.pii.analyzer import Finding

DENY_SCORE = 1.0
CUSTOM_PATTERN_TIMEOUT_S = 0.25
CONTEXT_SCORE = 0.95


def tenant_findings(text: str, rules: PiiRules) -> list[Finding]:
    from gateway.pii.analyzer import Finding  # the analyzer imports this module; avoid the cycle

    findings: list[Finding] = []
    folded = text.casefold()
    for deny in rules.deny_terms:
        pattern = re.compile(rf"(?<!\w){re.escape(deny.term)}(?!\w)", re.IGNORECASE)
        findings.extend(
            Finding(m.start(), m.end(), deny.entity_type, DENY_SCORE, "DenyList")
            for m in pattern.finditer(text)
        )
    for recognizer in rules.custom_recognizers:
        for pattern_text in recognizer.patterns:
            for match in regex.finditer(pattern_text, text, timeout=CUSTOM_PATTERN_TIMEOUT_S):
                if match.end() > match.start():
                    score = _score(recognizer, folded, match.start())
                    findings.append(
                        Finding(match.start(), match.end(), recognizer.entity_type, score, "Custom")
                    )
    return findings


def _score(recognizer: CustomRecognizer, folded_text: str, start: int) -> float:
    before = folded_text[max(0, start - recognizer.context_window) : start]
    if any(word.casefold() in before for word in recognizer.context):
        return max(recognizer.score, CONTEXT_SCORE)
    return recognizer.score
