"""A name right after a verb of speaking or an introduction: "I spoke to Priya", "this is Lakshmi Bianchi".

Complaint e-mails and call notes name staff and callers this way, often with a given name the census
list does not have. After "spoke to", "asked for" or "transferred to" one capitalised word is enough;
after "this is", "it's" or "I'm" two are needed ("This is Important" is emphasis). A run holding a
common English word or a day or month ("Customer Service", "Urgent Care", "Monday Morning") is not taken.
"""

from __future__ import annotations

from gateway.pii import entity_types as et
from gateway.pii.false_positives import is_known_term, is_word_in
from gateway.pii.recognizers.names import CAPITALISED_NAME
from gateway.pii.recognizers.places import is_calendar_word
from gateway.pii.recognizers.regex_recognizer import PiiPattern, RegexRecognizer

# The leading lookaheads only let the alternations run where their first letter is.
_SPOKE_TO = (
    r"(?=[stcahpSTCAHP])(?i:\b(?:spoke|speak|speaking|talked|talking|chatted)\s+(?:to|with)|\bask(?:ed)?\s+for"
    r"|\b(?:transferred|passed|handed)\s+(?:over\s+)?to)"
)
_INTRODUCTION = r"(?=[tiTI])(?i:\bthis\s+is|\bit'?s|\bi'?m|\bi\s+am)"
_END = r"(?![\w'’-])"
INTRODUCED_SCORE = 0.6


def introduced_name_recognizer(common_words: frozenset[str]) -> RegexRecognizer:
    def is_name(value: str) -> bool:
        words = value.split()
        return not any(
            is_word_in(word, common_words) or is_known_term(word) or is_calendar_word(word.casefold())
            for word in words
        )

    one = CAPITALISED_NAME
    two = rf"{CAPITALISED_NAME}[ \t]+{CAPITALISED_NAME}(?:[ \t]+[A-Z]\.(?!\w))?"
    return RegexRecognizer(
        et.PERSON,
        [
            PiiPattern(
                "spoke_to", rf"{_SPOKE_TO}[ \t]+(?P<pii>{two}|{one}){_END}", INTRODUCED_SCORE, is_name
            ),
            PiiPattern(
                "introduction", rf"{_INTRODUCTION}[ \t]+(?P<pii>{two}){_END}", INTRODUCED_SCORE, is_name
            ),
        ],
        name="IntroducedNameRecognizer",
    )
