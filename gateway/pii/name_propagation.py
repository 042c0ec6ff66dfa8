"""Once a text names someone in full, their given name or surname alone is them too.

"Hiroshi Tanaka was admitted ... Hiroshi tolerated the diet": the second mention has no label, title or
surname, and a lone given name outside the census list is invisible to every pattern. Document-level
propagation (as Philter and other clinical de-identification tools do) marks each further occurrence of
a word of an already-found name. Only words that look like names are propagated: capitalised (or all
lower case, as transcribed speech writes names), at least three letters, not a title, credential or
clinical term. Another casing of the word ("Niamh" then "niamh") counts only when it is not an English
word, so "Will Chen" does not make every "will" a name.
"""

from __future__ import annotations

import re

from gateway.pii import entity_types as et
from gateway.pii.false_positives import is_known_term

_NAME_WORD = re.compile(r"[^\W\d_][^\W\d_'’-]*(?:['’-][^\W\d_]+)*")
_NOT_PROPAGATED = frozenset(
    "dr mr mrs ms miss mx prof md do rn np pa phd jr sr ii iii iv the and van von de del da di la le".split()
)
PROPAGATED_SCORE = 0.6


def propagated_names(
    text: str, spans: list[tuple[int, int, str]], lexicon: frozenset[str] = frozenset()
) -> list[tuple[int, int]]:
    """Other occurrences of the words of PERSON spans, as (start, end) not already inside a span."""
    words = {
        match.group()
        for start, end, entity_type in spans
        if entity_type == et.PERSON
        for match in _NAME_WORD.finditer(text, start, end)
        if _propagatable(match.group())
    }
    if not words:
        return []
    other_casing = {word.casefold() for word in words if word.casefold() not in lexicon}
    covered = sorted((start, end) for start, end, _ in spans)
    found: list[tuple[int, int]] = []
    for match in _NAME_WORD.finditer(text):
        word = match.group()
        recased = word not in words and word.casefold() in other_casing and _in_prose(text, *match.span())
        if not (word in words or recased) or not _standalone(text, *match.span()):
            continue
        if not any(start <= match.start() and match.end() <= end for start, end in covered):
            found.append(match.span())
    return found


def _in_prose(text: str, start: int, end: int) -> bool:
    """Not in capitals and not part of an identifier, URL or address ("REDIS_URL", "redis://")."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return not text[start:end].isupper() and before not in "_/@.\\" and after not in "_/@:\\"


def _standalone(text: str, start: int, end: int) -> bool:
    """Not a piece of a longer token ("Mei" inside "Meier", "Lee" inside "Lee-Smith" is fine)."""
    before = text[start - 1] if start else " "
    return not (before.isalnum() or before in "'’_") and not (
        end < len(text) and (text[end].isalnum() or text[end] == "_")
    )


def _propagatable(word: str) -> bool:
    return (
        len(word) >= 3
        and (word[0].isupper() or word.islower())
        and not word.isupper()
        and word.casefold() not in _NOT_PROPAGATED
        and not is_known_term(word)
    )
