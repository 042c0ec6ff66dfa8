"""Places smaller than a state standing outside an address: cities, towns, counties, neighbourhoods.

spaCy's small model misses most of them (and every lower-case one). Three signals, none tied to a list
of places: the shape "City, ST" (a US state after a comma), a county ("Cook County", "County Kerry"),
and a cue that a place follows ("place of birth", "calling from", "moved from", "lives in", "based in",
"branch in"). After a cue the place may be in any casing (call transcripts are lower-case) and ends
where its clause does, or at the first word that cannot be part of a place name.
"""

from __future__ import annotations

import re
from typing import Any

from presidio_analyzer import LocalRecognizer, RecognizerResult

from gateway.pii import entity_types as et
from gateway.pii.recognizers.address_parts import CITY
from gateway.pii.recognizers.known_places import is_lower_case_line, is_place_word

_STATE_ABBR = (
    r"(?:AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH"
    r"|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY)"
)
_CITY_STATE = re.compile(rf"\b{CITY},[ \t]+{_STATE_ABBR}\b(?![ \t]*[:#]?[ \t]*[A-Za-z]*\d)")
_COUNTY = re.compile(r"\b(?:[A-Z][a-z]+[ \t]+){1,2}(?:County|Parish|Borough)\b|\bCounty[ \t]+[A-Z][a-z]+\b")
# After a strong cue a place may be written in lower case (in a lower-case line); after a weak one it is capitalised.
_STRONG_CUE = (
    r"place\s+of\s+birth|birth\s*place|born\s+in|city\s+of\s+birth|calling\s+from|ringing\s+from"
    r"|moved\s+(?:here\s+)?(?:from|to)|relocated\s+(?:from|to)|lives\s+in|living\s+in|resides\s+in|residing\s+in"
    r"|visiting\s+(?:\w+\s+){0,2}in|staying\s+in|raised\s+in|grew\s+up\s+in|home\s*town|lives\s+\d+\s+\w+\s+away\s+in"
    r"|(?:city|town|village|suburb|district|neighbou?rhood|municipality|locality)(?=[ \t]*[:=|])"
)
_WEAK_CUE = (
    r"based\s+in|arranged\s+from|branch\s+in|around|a\s+property\s+in|clinic\s+in|manager\s+in|gym\s+in"
    r"|station\s+in|shop\s+in|store\s+in|travel(?:l)?ed\s+to|trip\s+to"
    r"|live[sd]?\s+in|reside[sd]?\s+in|located\s+in|registered\s+in|based\s+out\s+of|native\s+of"
    r"|travel(?:l)?ing\s+(?:to|from)|fl(?:ew|y|ying)\s+(?:in\s+)?(?:to|from|into)|dr(?:ove|ives|iving)\s+(?:up\s+|down\s+)?(?:to|from)"
    r"|returned\s+(?:from|to)|back\s+from|commut(?:es|ed|ing)\s+(?:from|to)|(?:holiday|vacation)\s+in"
    r"|(?:home|family|relatives|parents|house|apartment|flat|farm)\s+in|(?:suburb|outskirts)\s+of"
)
_CUE = re.compile(rf"\b(?:(?P<strong>(?i:{_STRONG_CUE}))|(?i:{_WEAK_CUE}))(?:[ \t]*[:=|\-][ \t]*|[ \t]+)")
# Common nouns that follow those cues and are not places ("calling from work", "lives in a flat").
_NOT_PLACES = frozenset(
    "home work office school hospital clinic hotel car phone abroad overseas town city flat house care"
    " bed pain time touch general person public private charge advance total addition case order".split()
)
_PLACE_WORD = re.compile(r"[^\W\d_][\w'’.-]*")
# Words that end a place name found after a cue ("in sheffield on the 14th", "in Asheville noticed").
_ENDS = frozenset(
    """
    a an the and or but in on at to for with from until during since by of so as if is was were be been
    has have had will would can could should may might must this that these those it its his her their
    our my your we he she they i you who which when where while because after before about into over
    under again then there here today yesterday tomorrow tonight now staying noticed last next every
    """.split()
)
_FILLERS = frozenset({"the", "a", "an"})
MAX_WORDS = 4


class PlaceRecognizer(LocalRecognizer):
    def __init__(self, countries: frozenset[str]) -> None:
        self._countries = countries
        super().__init__(supported_entities=[et.LOCATION], name="PlaceRecognizer", supported_language="en")

    def load(self) -> None:
        """Nothing to load."""

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[RecognizerResult]:
        if et.LOCATION not in entities:
            return []
        spans = [m.span() for m in _CITY_STATE.finditer(text)] + [m.span() for m in _COUNTY.finditer(text)]
        for cue in _CUE.finditer(text):
            # A lower-case place is only believed in a lower-case line (transcribed speech).
            lower_case = cue.group("strong") is not None and is_lower_case_line(text, cue.start())
            span = self._place_after(text, cue.end(), capitalised=not lower_case)
            if span is not None:
                spans.append(span)
        return [self._result(start, end) for start, end in spans]

    def _place_after(self, text: str, start: int, capitalised: bool) -> tuple[int, int] | None:
        words: list[re.Match[str]] = []
        position = start
        for word in _PLACE_WORD.finditer(text, start, min(len(text), start + 60)):
            gap = text[position : word.start()]
            if gap.strip(" \t,") or (words and "," in gap and len(words) >= 2) or "\n\n" in gap:
                break
            folded = word.group().rstrip(".").casefold()
            if folded in _ENDS and not (not words and folded in _FILLERS):
                break
            if not words and folded in _FILLERS:
                position = word.end()
                continue
            if capitalised and not is_place_word(word.group(), lower_case=False):
                break
            words.append(word)
            position = word.end()
            if len(words) == MAX_WORDS:
                break
        if not words:
            return None
        begin, end = words[0].start(), words[-1].end()
        value = text[begin:end].rstrip(".")
        folded_value = value.casefold()
        if folded_value in self._countries or folded_value in _NOT_PLACES or is_calendar_word(folded_value):
            return None
        return begin, begin + len(value)

    def _result(self, start: int, end: int) -> RecognizerResult:
        return RecognizerResult(
            entity_type=et.LOCATION,
            start=start,
            end=end,
            score=0.7,
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: "PlaceRecognizer",
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
            },
        )


_CALENDAR = frozenset(
    "january february march april may june july august september october november december jan feb mar apr"
    " jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday q1 q2 q3 q4"
    " spring summer autumn fall winter".split()
)


def is_calendar_word(value: str) -> bool:
    return value.split()[0].rstrip(".,") in _CALENDAR
