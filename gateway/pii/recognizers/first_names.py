"""Given names from the US Census first-name list, alone or followed by a surname.

spaCy's small model misses a lone given name ("his wife Leah", "Thanks,\\nAmara") and names at the start
of a sentence. The list is public data, independent of our test corpus; names that are also ordinary
words (Will, Grace, May) only count when a capitalised surname follows.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from presidio_analyzer import LocalRecognizer, RecognizerResult

from gateway.pii import entity_types as et
from gateway.pii.false_positives import INSTITUTION_WORDS
from gateway.pii.recognizers.names import CAPITALISED_NAME

_FIRST_NAMES_FILE = Path(__file__).resolve().parents[1] / "data" / "first_names.txt"
_CANDIDATE = re.compile(r"(?<![\w'’-])[A-Z][a-z]{2,}(?![\w'’-])")
# A surname, maybe after a particle with a second surname ("Gabriela dos Santos Pereira"), maybe
# closed by an initial ("Luiz Fernando S.").
_PARTICLE = r"(?:de|da|do|dos|das|del|della|di|van|von|der|den|le|la|bin|ibn|al|el)"
_SURNAME_AFTER = re.compile(
    rf"(?:\s+[A-Z]\.)?(?:[ \t]+{_PARTICLE}[ \t]+{CAPITALISED_NAME}(?:[ \t]+{CAPITALISED_NAME})?"
    rf"|[ \t]+(?:{CAPITALISED_NAME}))(?:[ \t]+[A-Z]\.(?!\w))?(?![\w'’])"
)
_NEXT_WORD = re.compile(r"[ \t]+(\w+)")
FULL_NAME_SCORE = 0.75
GIVEN_NAME_SCORE = 0.6
AMBIGUOUS = frozenset(
    """
    Will Mark Rose Grace Faith Hope Joy June April May August Bill Pat Grant Dawn Summer Autumn Sandy
    Frank Art Gene Guy Rich Ray Jack Penny Ruby Pearl Amber Crystal Ivy Iris Lily Daisy Holly Heather
    Violet Olive Hazel Ginger Bud Chase Hunter Drew Dean Earl Miles Norman Page Rusty Sonny Sunny Skip
    Wade Carol Christian Eve Kay Lee Long Major Royal Sterling Precious Merry Honey Star Sky Rain
    Storm Angel Bell Bella Dot Mercy Patience Prudence Constance Charity Justice Honor Liberty Harmony
    Melody Destiny Trinity Unique Young Early Bishop Baker Carter Mason Cooper Parker Porter Tanner
    Taylor Sage Clay Stone Forest Glen Dale Brook Brooke River Lane Gray Grey Rocky Buck Colt Duke
    King Prince Lord Doctor Nurse Patient Don Ben Sam Tom Bob Ken Len Jan Mat Max Von Del Son Van
    Tab Hai Zip Cloud Blue Green Brown White Black Golden Silver Sharp Price Bond Banks Case Chance
    Ellis Ford Gale Gates Hall Hill Holder Jewel Lake Lane Marsh Moss Nash Pierce Reed Rich Rowe
    Strong Sun Tate Venus Worth Lincoln Washington Jefferson Madison Jackson Austin Columbus Denver
    Houston Dallas Phoenix Sydney Paris Florence Georgia Carolina Virginia Dakota Indiana Ireland
    China Asia Africa India Loan Bank Case Claim Chart Ward Wire Israel Jordan Kenya Lourdes Salem Tennessee Tyler Easter Christmas Monday
    """.split()
)


def load_first_names(path: Path = _FIRST_NAMES_FILE) -> frozenset[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(name for line in lines if not line.startswith("#") for name in line.split())


class FirstNameRecognizer(LocalRecognizer):
    def __init__(
        self, first_names: frozenset[str] | None = None, regions: frozenset[str] = frozenset()
    ) -> None:
        self._first_names = first_names if first_names is not None else load_first_names()
        # "France", "Georgia" and "See" are given names too, but alone they are far more often the
        # place or the word (``regions`` carries countries, states and stop words).
        self._not_alone = AMBIGUOUS | {name.casefold() for name in AMBIGUOUS} | regions
        super().__init__(supported_entities=[et.PERSON], name="FirstNameRecognizer", supported_language="en")

    def load(self) -> None:
        """The list is read when the recognizer is built."""

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[RecognizerResult]:
        if et.PERSON not in entities:
            return []
        results: list[RecognizerResult] = []
        for match in _CANDIDATE.finditer(text):
            if match.group() not in self._first_names:
                continue
            following = _NEXT_WORD.match(text, match.end())
            if following and following.group(1) in INSTITUTION_WORDS:
                continue  # "Cleveland Clinic", "Grace Hospital": an institution, not a person
            surname = _SURNAME_AFTER.match(text, match.end())
            if surname:
                results.append(self._result(match.start(), surname.end(), FULL_NAME_SCORE))
            elif match.group().casefold() not in self._not_alone:
                results.append(self._result(match.start(), match.end(), GIVEN_NAME_SCORE))
        return results

    def _result(self, start: int, end: int, score: float) -> RecognizerResult:
        return RecognizerResult(
            entity_type=et.PERSON,
            start=start,
            end=end,
            score=score,
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: "FirstNameRecognizer",
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
            },
        )
