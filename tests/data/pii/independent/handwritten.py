"""Generator 3: hand-written prose. Each document lists its personal values; offsets come from search.

Every whole-token occurrence of a listed value is labelled (longest values first, so "Ngozi Okafor"
wins over a separately listed "Okafor"); a listed value that never occurs is an error, so a typo in
a document cannot silently drop a label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tests.data.pii.independent.document import Document, Span

GENERATOR = "handwritten"


@dataclass(frozen=True)
class Prose:
    kind: str
    text: str
    pii: tuple[tuple[str, str], ...] = ()


def _occurrences(text: str, value: str) -> list[tuple[int, int]]:
    # Any run of whitespace in the listed value matches any run in the text, so line-wrapped values match.
    body = r"\s+".join(re.escape(part) for part in value.split())
    pattern = re.compile(r"(?<![\w@])" + body + r"(?![\w@])")
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


def label(prose: Prose) -> Document:
    taken: list[Span] = []
    for value, entity_type in sorted(prose.pii, key=lambda item: -len(item[0])):
        found = _occurrences(prose.text, value)
        if not found:
            raise ValueError(f"value not in text of a {prose.kind}: {value!r}")
        for start, end in found:
            if not any(start < s.end and s.start < end for s in taken):
                taken.append(Span(start, end, entity_type))
    return Document(prose.kind, GENERATOR, prose.text, sorted(taken, key=lambda s: s.start))


def documents(corpus: list[Prose]) -> list[Document]:
    return [label(prose) for prose in corpus]
