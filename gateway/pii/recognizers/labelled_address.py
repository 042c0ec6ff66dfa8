"""An address introduced by its label ("Address:", "lives at", "mailing address is"), whatever its shape.

Street patterns cannot know every street name or foreign layout; a label says an address follows. The
value runs from its first character to the end of its clause: a line break, a semicolon, another
"Label:", a wide gap, a sentence end, or the first lower-case word that is not part of an address
("lives at 4 Elm Row, Leeds with her son"). It must hold a digit and stay short.
"""

from __future__ import annotations

import re
from typing import Any

from presidio_analyzer import LocalRecognizer, RecognizerResult

from gateway.pii import entity_types as et

_LABEL = re.compile(
    r"(?i:\b(?:(?:home|mailing|postal|residential|billing|street|permanent|current|previous|prior|new|old"
    r"|correspondence|registered|delivery|shipping|patient|member|customer|borrower|applicant)\s+)?"
    r"(?:address|addr\.?)(?:\s+(?:is|was|on\s+file|of\s+record|line\s*\d?))?|\blives\s+at|\bliving\s+at"
    r"|\bresides\s+at|\bresiding\s+at|\bresident\s+of|\bdomiciled\s+at|\bmoved\s+to|\brelocated\s+to"
    r"|\bstaying\s+at|\bmail(?:ed)?\s+to|\bship(?:ped)?\s+to|\bsent\s+to|\bdelivered\s+to)"
    r"\s*[:#\-–]?[ \t]*(?:\n[ \t]*)?"
)
# A value opens with a house number, a PO box, or a continental street name followed by a number.
_OPENS = re.compile(
    r"\d|(?i:p\.?\s?o\.?\s*box|post\s+office|pmb)|[A-ZÄÖÜ][\wäöüß'’.-]+(?:\s+[\wÀ-ÿ'’.-]+){0,4}\s+\d"
)
_STOP = re.compile(
    r"\n|;|\||\s{3,}|\t|\(|\s[-–—]\s|\b[A-Z][A-Za-z]+(?:\s[A-Z][a-z]+)?:|[.!?](?=\s+[A-Z][a-z]|\s*$)"
)
_WORD = re.compile(r"[A-Za-zÀ-ÿ'’]+")
_ADDRESS_LOWER = frozenset(
    "of the de la del du des da do dos van von der den bis ter y e st rd ave apt unit suite floor fl"
    " rm room box no nr rue via viale calle avenida".split()
)
_ABBREVIATION_END = re.compile(
    r"(?:\b(?:St|Ave|Rd|Dr|Blvd|Ln|Ct|Pl|Apt|Ste|Mt|Ft|Pkwy|Hwy|Sq|[NSEW]|[A-Z]))$"
)
MAX_CHARS = 160
LABELLED_SCORE = 0.8


class LabelledAddressRecognizer(LocalRecognizer):
    def __init__(self) -> None:
        super().__init__(
            supported_entities=[et.STREET_ADDRESS], name="LabelledAddressRecognizer", supported_language="en"
        )

    def load(self) -> None:
        """Nothing to load."""

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[RecognizerResult]:
        if et.STREET_ADDRESS not in entities:
            return []
        results: list[RecognizerResult] = []
        for label in _LABEL.finditer(text):
            start = label.end()
            if not _OPENS.match(text, start):
                continue
            end = _value_end(text, start)
            if end > start and any(ch.isdigit() for ch in text[start:end]):
                results.append(self._result(start, end))
        return results

    def _result(self, start: int, end: int) -> RecognizerResult:
        return RecognizerResult(
            entity_type=et.STREET_ADDRESS,
            start=start,
            end=end,
            score=LABELLED_SCORE,
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: "LabelledAddressRecognizer",
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
            },
        )


def _value_end(text: str, start: int) -> int:
    limit = min(len(text), start + MAX_CHARS)
    end = limit
    for stop in _STOP.finditer(text, start, limit):
        if stop.group() in ".!?" and _ABBREVIATION_END.search(text, start, stop.start()):
            continue  # "St. Louis", "Apt. 4": an abbreviation, not the end of the sentence
        if stop.start() > start:
            end = stop.start()
            break
    for word in _WORD.finditer(text, start, end):
        if word.group()[0].islower() and word.group().casefold() not in _ADDRESS_LOWER:
            end = word.start()
            break
    return len(text[start:end].rstrip(" \t,.:-–")) + start
