"""An address introduced by its label ("Address:", "lives at", "mailing address is"), whatever its shape.

Street patterns cannot know every street name or foreign layout; a label says an address follows. The
value runs from its first character to the end of its clause: a line break, a semicolon, another
"Label:", a wide gap, a sentence end, or the first lower-case word that is not part of an address
("lives at 4 Elm Row, Leeds with her son"). A label may be a question answered on the next line
("what's your address?\ncaller: 4417 magnolia way, ..."). It must hold a digit and stay short.
"""

from __future__ import annotations

import re
from typing import Any

from presidio_analyzer import LocalRecognizer, RecognizerResult

from gateway.pii import entity_types as et
from gateway.pii.recognizers.address_parts import ANY_POSTCODE
from gateway.pii.recognizers.known_places import is_lower_case_line

_LABEL = re.compile(
    r"(?i:\b(?:(?:home|mailing|postal|residential|billing|street|permanent|current|previous|prior|new|old"
    r"|correspondence|registered|delivery|shipping|patient|member|customer|borrower|applicant)\s+)?"
    r"(?:address|addr\.?)(?:[^\n]{0,60}\n[ \t]*[A-Za-z]+:[ \t]*(?:(?:yes|yeah|sure|it'?s)[ ,]+)?|\s+(?:is|was|on\s+file|of\s+record|line\s*\d?))?"
    r"|\blives\s+at|\bliving\s+at|\bsend\s+the\s+bill\s+to|\bwrite\s+to|\bhave\s+you\s+at|\bdeliver\s+to"
    r"|\bresides\s+at|\bresiding\s+at|\bresident\s+of|\bdomiciled\s+at|\bmoved\s+to|\brelocated\s+to"
    r"|\bstaying\s+at|\bmail(?:ed)?\s+to|\bship(?:ped)?\s+to|\bsent\s+to|\bdelivered\s+to)"
    r"\s*[:#\-–]?[ \t]*(?:\n[ \t]*)?"
)
# A value opens with a house number, a PO box, or a continental street name followed by a number.
_OPENS = re.compile(
    r"\d|(?i:p\.?\s?o\.?\s*box|post\s+office|pmb|(?:flat|apt|apartment|unit|suite)\s*\d|(?:ul|al)\.\s)"
    r"|[A-ZÄÖÜ][\wäöüß'’.-]+(?:,?\s+[\wÀ-ÿ'’.-]+){0,4},?\s+\d"
)
# In a lower-case line after the word "address", a street name before its number may be lower case, as
# transcribed speech writes it ("witte de withstraat 194"); elsewhere that is "address every 4 hours".
_OPENS_ANY_CASE = re.compile(r"[a-zà-ÿ][\wäöüß'’.-]+(?:,?\s+[\wÀ-ÿ'’.-]+){0,4},?\s+\d")
# A post code alone on the next line still belongs to the address ("Bengaluru\n560038").
_POSTCODE_LINE = re.compile(rf"[ \t]*(?i:{ANY_POSTCODE})[ \t]*(?:[.,;]|$)", re.MULTILINE)
_STOP = re.compile(r"\n|;|\||\s{3,}|\t|\(|\b[A-Z][A-Za-z]+(?:\s[A-Z][a-z]+)?:|[.!?](?=\s+[A-Z][a-z]|\s*$)")
_WORD = re.compile(r"[A-Za-zÀ-ÿ'’]+")
# Words that end an address in running text ("4 Elm Row, Leeds with her son", "…, 22071-000 and no").
_ENDS_ADDRESS = frozenset(
    "and with but for until since who which not is was were are has have had will would can could"
    " to from at on in case since because so if when where while please thanks".split()
)
_ABBREVIATION_END = re.compile(
    r"(?:\b(?:St|Ave|Rd|Dr|Blvd|Ln|Ct|Pl|Apt|Ste|Mt|Ft|Pkwy|Hwy|Sq|[NSEW]|[A-Z]))$"
)
_POSTCODE = re.compile(rf"(?<![\w-])(?i:{ANY_POSTCODE})(?![\w-])")
_CITY_AFTER_CODE = re.compile(r"[ \t]+[^\W\d_][\w'’.-]*(?:[ \t]+[^\W\d_][\w'’.-]*){0,2}[ \t]*$")
_REGION_BEFORE = re.compile(r"\b[A-Za-z]{2}[ \t]*$")
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
            spoken = "addr" in label.group().casefold() and is_lower_case_line(text, start)
            if not (_OPENS.match(text, start) or (spoken and _OPENS_ANY_CASE.match(text, start))):
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
        if stop.group() == "\n" and _POSTCODE_LINE.match(text, stop.end()):
            continue
        if stop.start() > start:
            end = stop.start()
            break
    for word in _WORD.finditer(text, start, end):
        if word.group().casefold() in _ENDS_ADDRESS:
            end = word.start()
            break
    value = text[start:end]
    # An address ends at its post code (a country after it is not part of it, nor what follows).
    first_comma = value.find(",")
    codes = [m for m in _POSTCODE.finditer(value) if first_comma >= 0 and m.start() > first_comma]
    if codes:
        code = codes[-1]
        # A continental city follows its code ("1015 CJ Amsterdam"); a US, UK or Canadian address ends
        # at it ("Springfield, IL 62704 alone", "Leeds LS1 4DY").
        continental = code.group()[0].isdigit() and not _REGION_BEFORE.search(value, 0, code.start())
        city = _CITY_AFTER_CODE.match(value, code.end()) if continental else None
        return start + (city.end() if city else code.end())
    return len(value.rstrip(" \t,.:-–")) + start
