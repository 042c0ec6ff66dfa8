"""Two capitalised words in a row, neither of them an English word: "Anjali Kovalenko".

spaCy's small model misses many names that are not Anglo-American, and the census list does not have
them either. A pair of capitalised words that the dictionary does not know is almost always a name
(or a brand, which the false-positive lists cover); a single unknown word is not enough.
"""

from __future__ import annotations

import re
from typing import Any

from presidio_analyzer import LocalRecognizer, RecognizerResult

from gateway.pii import entity_types as et
from gateway.pii.false_positives import has_product_casing, is_known_term
from gateway.pii.recognizers.names import CAPITALISED_NAME

_PAIR = re.compile(
    rf"(?<![\w'’-])(?=({CAPITALISED_NAME})(?:\s+[A-Z]\.)?[ \t]+({CAPITALISED_NAME})(?![\w'’-]))"
)
UNKNOWN_PAIR_SCORE = 0.5
_INFLECTIONS = ("", "s", "es", "ed", "d", "ing", "ly")


class UnknownNamePairRecognizer(LocalRecognizer):
    def __init__(self, lexicon: frozenset[str], regions: frozenset[str]) -> None:
        self._lexicon = lexicon
        self._regions = regions
        super().__init__(
            supported_entities=[et.PERSON], name="UnknownNamePairRecognizer", supported_language="en"
        )

    def load(self) -> None:
        """The dictionary comes from the spaCy model, loaded by the NLP engine."""

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[RecognizerResult]:
        if et.PERSON not in entities or not self._lexicon:
            return []
        results: list[RecognizerResult] = []
        for match in _PAIR.finditer(text):
            first, last = match.group(1), match.group(2)
            if self._unknown(first) and self._unknown(last):
                results.append(self._result(match.start(1), match.end(2)))
        return results

    def _unknown(self, word: str) -> bool:
        folded = word.casefold().rstrip("'’s")
        if is_known_term(word) or folded in self._regions or has_product_casing(word):
            return False
        for suffix in _INFLECTIONS:
            stem = folded[: -len(suffix)] if suffix and folded.endswith(suffix) else folded
            if stem in self._lexicon or stem + "e" in self._lexicon:
                return False
        return True

    def _result(self, start: int, end: int) -> RecognizerResult:
        return RecognizerResult(
            entity_type=et.PERSON,
            start=start,
            end=end,
            score=UNKNOWN_PAIR_SCORE,
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: "UnknownNamePairRecognizer",
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
            },
        )
