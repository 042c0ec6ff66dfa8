"""A Presidio recognizer driven by regular expressions with an optional ``pii`` group and a validator.

Presidio's own ``PatternRecognizer`` reports the whole match, so context words ("MRN:", "routing") would
be redacted with the value. Here a pattern may match its context and report only the ``pii`` group.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from presidio_analyzer import LocalRecognizer, RecognizerResult

Validator = Callable[[str], bool]


@dataclass(frozen=True)
class PiiPattern:
    name: str
    regex: str
    score: float
    validator: Validator | None = None
    flags: int = 0
    # When the validator rejects a match, retry with trailing space-separated groups dropped: an
    # IBAN followed by "USD" must not lose the IBAN because the currency was swallowed.
    shrink_on_invalid: bool = False
    compiled: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "compiled", re.compile(self.regex, self.flags))


class RegexRecognizer(LocalRecognizer):
    def __init__(self, entity_type: str, patterns: list[PiiPattern], name: str) -> None:
        self.entity_type = entity_type
        self.pii_patterns = patterns
        self.recognizer_name = name
        super().__init__(supported_entities=[entity_type], name=name, supported_language="en")

    def load(self) -> None:
        """Nothing to load: the patterns compile when the recognizer is built."""

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[RecognizerResult]:
        if self.entity_type not in entities:
            return []
        results: list[RecognizerResult] = []
        for pattern in self.pii_patterns:
            for match in pattern.compiled.finditer(text):
                span = _pii_span(match)
                if span is None:
                    continue
                span = _validated(text, span, pattern)
                if span is not None:
                    results.append(self._result(span, pattern.score))
        return results

    def _result(self, span: tuple[int, int], score: float) -> RecognizerResult:
        return RecognizerResult(
            entity_type=self.entity_type,
            start=span[0],
            end=span[1],
            score=score,
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: self.recognizer_name,
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
            },
        )


def _pii_span(match: re.Match[str]) -> tuple[int, int] | None:
    if "pii" in match.re.groupindex:
        start, end = match.span("pii")
        return None if start < 0 else (start, end)
    return match.span()


def _validated(text: str, span: tuple[int, int], pattern: PiiPattern) -> tuple[int, int] | None:
    if pattern.validator is None:
        return span
    start, end = span
    while end > start:
        if pattern.validator(text[start:end]):
            return start, end
        if not pattern.shrink_on_invalid:
            return None
        cut = text.rfind(" ", start, end)
        if cut <= start:
            return None
        end = cut
    return None
