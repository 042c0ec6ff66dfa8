"""The one detection path shared by the redact stage, the response scan and ``bulwark pii scan``."""

from __future__ import annotations

from gateway.pii.analyzer import Finding, PiiAnalyzer
from gateway.pii.redaction import actionable
from gateway.pii.rules import Direction, PiiRules


def scan_text(
    analyzer: PiiAnalyzer, text: str, rules: PiiRules, direction: Direction = "request"
) -> list[Finding]:
    """Findings the stage will act on (everything except entity types the policy allows)."""
    return actionable(analyzer.analyze(text, rules, direction), rules, direction)
