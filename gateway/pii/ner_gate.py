"""Decide which parts of a text spaCy's NER has to read.

NER is ~90% of analysis time, and it can only add PERSON / LOCATION findings, which in English start
with a capital letter. So it runs only on the sentences holding a capitalised word that no pattern
has already explained and that is not an ordinary word opening a sentence ("Denies", "Vitals").
A word in the middle of a sentence is always a candidate: mid-sentence capitals are how English marks
a name. Skipping is only ever decided from the text itself, so the result stays deterministic.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable

from gateway.pii.false_positives import is_known_term

_CAPITALISED = re.compile(r"(?<![\w'’-])[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ'’A-Za-z-]*[a-zß-öø-ÿ][\w'’-]*")
_SENTENCE_END = re.compile(r"(?:[.!?;:](?=\s)|\n)\s*")
# A heading, bullet or table cell opens a "sentence" too: "## Tools", "* Controls", "| Login IP |".
_SENTENCE_OPENER = re.compile(r"(?:^|[.!?;:\n(\"“#*>•|]|\s-)\s*$")
# A long sentence is cut around the candidate: NER needs a few words of context, not the paragraph.
MAX_CONTEXT_CHARS = 120
_INFLECTIONS = ("", "s", "es", "ed", "d", "ing", "ly")


class NerGate:
    def __init__(self, lexicon: Iterable[str], given_names: Iterable[str]) -> None:
        # Given names are never "ordinary words", even when the dictionary has them (Mark, Grace).
        self._lexicon = frozenset(lexicon) - {name.casefold() for name in given_names}

    def windows(self, text: str, explained: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Character ranges of ``text`` NER must read, sorted and not overlapping."""
        starts = [start for start, _ in explained]
        ranges: list[tuple[int, int]] = []
        for match in _CAPITALISED.finditer(text):
            if _inside(match.start(), match.end(), explained, starts) or not self._needs_ner(text, match):
                continue
            ranges.append(_sentence_around(text, match.start(), match.end()))
        return _merged(ranges)

    def is_ordinary_opener(self, text: str, start: int, end: int) -> bool:
        """True for one ordinary word opening a sentence or heading: "Tools", "Controls", not a name."""
        word = text[start:end]
        opens_sentence = _SENTENCE_OPENER.search(text, max(0, start - 3), start)
        return bool(opens_sentence) and word.isalpha() and self._is_ordinary_word(word)

    def _needs_ner(self, text: str, match: re.Match[str]) -> bool:
        word = match.group()
        if is_known_term(word):
            return False
        opens_sentence = _SENTENCE_OPENER.search(text, max(0, match.start() - 3), match.start())
        return not (opens_sentence and self._is_ordinary_word(word))

    def _is_ordinary_word(self, word: str) -> bool:
        folded = word.casefold().rstrip("'’s")
        for suffix in _INFLECTIONS:
            stem = folded[: -len(suffix)] if suffix and folded.endswith(suffix) else folded
            if stem in self._lexicon or stem + "e" in self._lexicon:
                return True
        return False


def _inside(start: int, end: int, explained: list[tuple[int, int]], starts: list[int]) -> bool:
    index = bisect_right(starts, start) - 1
    return any(s <= start and end <= e for s, e in explained[max(0, index - 3) : index + 1])


def _sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    low = max(0, start - MAX_CONTEXT_CHARS)
    begin = low
    for boundary in _SENTENCE_END.finditer(text, low, start):
        begin = boundary.end()
    stop = _SENTENCE_END.search(text, end)
    finish = min(stop.start() + 1 if stop else len(text), end + MAX_CONTEXT_CHARS)
    return begin, max(finish, end)


def _merged(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
