"""Cities and towns from a gazetteer, where a preposition says a place comes next: "moved to Leeds".

spaCy's small model misses many places ("a property in Banjara Hills, Hyderabad", "drove up from
Lubbock"), and every lower-case one in transcribed speech. A capitalised word after "in", "from", "to",
"near" or "around" that libphonenumber's geocoder names as a city or town (see ``place_names.py``) is
taken as a place, with a neighbourhood written before it ("Yaba, Lagos"). Words the English dictionary
knows ("in Reading", "to Mobile"), countries and states, and places naming an institution ("Boston
Children's Hospital") are left alone. In an all lower-case line ("caller: i'm in sheffield") the
capital is not required.
"""

from __future__ import annotations

import re
from typing import Any

from presidio_analyzer import LocalRecognizer, RecognizerResult

from gateway.pii import entity_types as et
from gateway.pii.false_positives import INSTITUTION_WORDS, is_known_term, is_word_in

_CUE_WORDS = r"(?<![\w-])(?i:in|from|to|near|around|outside|towards?|via)[ \t]+(?:(?i:the)[ \t]+)?"
# "in", "to" and "from" are everywhere; only those before a capital are worth reading in mixed case.
_CUE = re.compile(rf"{_CUE_WORDS}(?=[A-ZÀ-ÖØ-Þ])")
_LOWER_CASE_CUE = re.compile(rf"{_CUE_WORDS}(?=[a-zß-öø-ÿ])")
_LOWER_CASE_LINE = re.compile(r"^[^A-ZÀ-ÖØ-Þ\n]*[a-z][^A-ZÀ-ÖØ-Þ\n]*$", re.MULTILINE)
_WORD = re.compile(r"[^\W\d_][\w'’.-]*")
_WORD_GAP = re.compile(r"[ \t]+")
_NEIGHBOURHOOD_GAP = re.compile(r",[ \t]*\n?[ \t]*")
# Lower-case words that sit inside place names: "Stratford-upon-Avon", "Rio de Janeiro", "Coeur d'Alene".
_PARTICLES = frozenset("de da do dos das del la le les sur upon on am im an der den von van y e".split())
_INSTITUTION = re.compile(rf"[ \t]+(?:['’]s[ \t]+)?(?:{'|'.join(sorted(INSTITUTION_WORDS))})\b")
MAX_WORDS = 4
KNOWN_PLACE_SCORE = 0.65


class KnownPlaceRecognizer(LocalRecognizer):
    def __init__(self, places: frozenset[str], common_words: frozenset[str], regions: frozenset[str]) -> None:
        self._places = places
        self._common_words = common_words
        self._regions = regions
        super().__init__(
            supported_entities=[et.LOCATION], name="KnownPlaceRecognizer", supported_language="en"
        )

    def load(self) -> None:
        """The gazetteer and the common English words come in through the constructor."""

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[RecognizerResult]:
        if et.LOCATION not in entities or not self._places:
            return []
        results: list[RecognizerResult] = []
        cues = [(cue, False) for cue in _CUE.finditer(text)]
        for line in _LOWER_CASE_LINE.finditer(text):
            cues += [(cue, True) for cue in _LOWER_CASE_CUE.finditer(text, line.start(), line.end())]
        for cue, lower_case in cues:
            span = self._place_at(text, cue.end(), lower_case)
            if span is not None:
                results.append(self._result(*span))
        return results

    def _place_at(self, text: str, start: int, lower_case: bool) -> tuple[int, int] | None:
        words = _words(text, start)
        end = self._known_place_end(text, words, lower_case)
        if end is not None:
            return start, end
        # "Banjara Hills, Hyderabad": a neighbourhood the gazetteer does not have, then its city.
        for count in range(1, len(words) + 1):
            gap = _NEIGHBOURHOOD_GAP.match(text, words[count - 1].end())
            if gap is None:
                continue
            if not all(is_place_word(word.group(), lower_case) for word in words[:count]):
                return None
            end = self._known_place_end(text, _words(text, gap.end()), lower_case)
            return (start, end) if end is not None else None
        return None

    def _known_place_end(self, text: str, words: list[re.Match[str]], lower_case: bool) -> int | None:
        """End of the longest run of ``words`` that the gazetteer names, if it may be a place here."""
        for count in range(len(words), 0, -1):
            values = [word.group() for word in words[:count]]
            values[-1] = values[-1].rstrip(".")  # the end of the sentence, not of "St."
            name = " ".join(values).casefold()
            if name in self._places and self._plausible(values, name, lower_case):
                end = words[count - 1].start() + len(values[-1])
                return None if _INSTITUTION.match(text, end) else end
        return None

    def _plausible(self, values: list[str], name: str, lower_case: bool) -> bool:
        if name in self._regions or not all(is_place_word(value, lower_case) for value in values):
            return False
        ordinary = [is_word_in(value, self._common_words) or is_known_term(value) for value in values]
        # "Grand Rapids" is a place however ordinary its words; "Reading" alone is the word.
        return not all(ordinary) or (len(values) > 1 and not lower_case)

    def _result(self, start: int, end: int) -> RecognizerResult:
        return RecognizerResult(
            entity_type=et.LOCATION,
            start=start,
            end=end,
            score=KNOWN_PLACE_SCORE,
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: "KnownPlaceRecognizer",
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
            },
        )


def _words(text: str, start: int) -> list[re.Match[str]]:
    """Up to ``MAX_WORDS`` words from ``start``, separated by spaces only."""
    words: list[re.Match[str]] = []
    position = start
    while len(words) < MAX_WORDS:
        word = _WORD.match(text, position)
        if word is None:
            break
        words.append(word)
        gap = _WORD_GAP.match(text, word.end())
        if gap is None:
            break
        position = gap.end()
    return words


def is_place_word(word: str, lower_case: bool) -> bool:
    """ "Leeds", "d'Alene" and "upon" may sit in a place name; "leeds" only in a lower-case line."""
    return lower_case or any(ch.isupper() for ch in word) or word.casefold() in _PARTICLES


def is_lower_case_line(text: str, position: int) -> bool:
    """True when the line holding ``position`` has no capital letter: transcribed speech."""
    line_start = text.rfind("\n", 0, position) + 1
    line_end = text.find("\n", position)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    return not any(ch.isupper() for ch in line)
