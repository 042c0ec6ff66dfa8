"""Names in transcribed speech and chat, where nothing is capitalised: "hi its sunita raghunathan".

A name follows an introduction or a relation ("this is", "it's", "my name's", "speaking with",
"my daughter", "pt", "mrs", "dr") and runs to the next comma, bracket or line end, one to three words.
In lower case a word only counts as a name when it is a census given name or not an English word, so
"it's raining" and "this is urgent" stay text.
"""

from __future__ import annotations

import re
from typing import Any

from presidio_analyzer import LocalRecognizer, RecognizerResult

from gateway.pii import entity_types as et

# The leading lookahead only lets the alternation run where one of its first letters is.
_CUE = re.compile(
    r"(?=[timscpdhybTIMSCPDHYB])(?i:\b(?:this\s+is|it'?s|its|my\s+name'?s|my\s+name\s+is|i'?m|i\s+am|speaking\s+with|called|"
    r"my\s+(?:husband|wife|son|daughter|mother|father|mum|mom|dad|partner|brother|sister|carer|nephew|niece)"
    r"|\bpt|\bmrs?\.?|\bms\.?|\bdr\.?|\bhi|\bhello|\bdear|\byes,?|\bcalls|\bthanks|\bthank\s+you|\bbye)[ \t]+)"
)
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
# A name ends at punctuation, or before the words speech puts after it ("its maria from the pharmacy").
_END = re.compile(
    r"[ \t]*(?:[,.;:!?()\n\"“”]|$|\s-\s)|[ \t]+(?:from|here|again|calling|speaking|about|regarding|and)\b"
)
MAX_WORDS = 3


class SpokenNameRecognizer(LocalRecognizer):
    def __init__(self, lexicon: frozenset[str], given_names: frozenset[str]) -> None:
        self._lexicon = lexicon
        self._given = {name.casefold() for name in given_names}
        super().__init__(supported_entities=[et.PERSON], name="SpokenNameRecognizer", supported_language="en")

    def load(self) -> None:
        """The dictionary and the census list come in through the constructor."""

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[RecognizerResult]:
        if et.PERSON not in entities or not self._lexicon:
            return []
        results: list[RecognizerResult] = []
        for cue in _CUE.finditer(text):
            words: list[re.Match[str]] = []
            position = cue.end()
            while len(words) < MAX_WORDS:
                word = _WORD.match(text, position)
                if word is None:
                    break
                words.append(word)
                gap = re.match(r"[ \t]+", text[word.end() :])
                if gap is None:
                    break
                position = word.end() + gap.end()
            # The longest run of names that a name's end follows: "maria" in "maria from the pharmacy".
            for count in range(len(words), 0, -1):
                run = words[:count]
                if _END.match(text, run[-1].end()) and self._names(run):
                    results.append(self._result(run[0].start(), run[-1].end()))
                    break
        return results

    def _names(self, words: list[re.Match[str]]) -> bool:
        """Every word lower case (capitalised names are other recognizers' work) and each a name."""
        return all(w.group().islower() and self._is_name(w.group()) for w in words)

    def _is_name(self, word: str) -> bool:
        folded = word.casefold().rstrip("'’s")
        return folded in self._given or (len(folded) >= 3 and folded not in self._lexicon)

    def _result(self, start: int, end: int) -> RecognizerResult:
        return RecognizerResult(
            entity_type=et.PERSON,
            start=start,
            end=end,
            score=0.6,
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: "SpokenNameRecognizer",
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
            },
        )
