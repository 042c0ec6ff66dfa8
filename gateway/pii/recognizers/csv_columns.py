"""CSV exports: a header row names each column, so every cell below it is typed by its column.

"name,dob,email,phone,ip" then rows of values: a cell is PII because of the column it sits in, whatever
its shape (initials "BD", a bare "4048443347"). Only a header whose columns mostly name known fields
counts, and only rows with as many cells as the header.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from presidio_analyzer import LocalRecognizer, RecognizerResult

from gateway.pii import entity_types as et

_COLUMN_TYPES = (
    (
        re.compile(r"(?:full_?|first_?|last_?|given_?|family_?|sur|patient_?|customer_?|member_?)?name"),
        et.PERSON,
    ),
    (re.compile(r"dob|birth_?date|date_?of_?birth|born|admitted|discharged|opened"), et.DATE_TIME),
    (re.compile(r"e-?mail(?:_?address)?"), et.EMAIL_ADDRESS),
    (re.compile(r"phone|mobile|tel(?:ephone)?|cell|fax"), et.PHONE_NUMBER),
    (re.compile(r"ip(?:_?address)?"), et.IP_ADDRESS),
    (re.compile(r"ssn|social"), et.US_SSN),
    (re.compile(r"mrn|medical_?record(?:_?number)?"), et.MEDICAL_RECORD_NUMBER),
    (re.compile(r"(?:street_?|home_?|postal_?)?address"), et.STREET_ADDRESS),
    (re.compile(r"city|town"), et.LOCATION),
    (re.compile(r"account(?:_?(?:no|number))?|acct"), et.US_BANK_NUMBER),
)
_CELL = re.compile(r'[ \t]*(?:"(?P<quoted>(?:[^"]|"")*)"|(?P<plain>[^,\n"]*))[ \t]*(?:,|$)', re.MULTILINE)


class CsvColumnRecognizer(LocalRecognizer):
    def __init__(self) -> None:
        types = sorted({entity for _, entity in _COLUMN_TYPES})
        super().__init__(supported_entities=types, name="CsvColumnRecognizer", supported_language="en")

    def load(self) -> None:
        """Nothing to load."""

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[RecognizerResult]:
        if text.count(",") < 2:
            return []
        return [self._result(*span) for span in _cell_spans(text) if span[2] in entities]

    def _result(self, start: int, end: int, entity_type: str) -> RecognizerResult:
        return RecognizerResult(
            entity_type=entity_type,
            start=start,
            end=end,
            score=0.8,
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: "CsvColumnRecognizer",
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
            },
        )


def _cells(text: str, start: int, end: int) -> list[tuple[int, int]]:
    cells: list[tuple[int, int]] = []
    position = start
    while position <= end:
        match = _CELL.match(text, position, end)
        if match is None:
            break
        group = "quoted" if match.group("quoted") is not None else "plain"
        cells.append(match.span(group))
        if match.end() >= end or match.end() == position:
            break
        position = match.end()
    return cells


def _column_type(name: str) -> str | None:
    folded = name.strip().casefold().replace(" ", "_")
    return next((entity for pattern, entity in _COLUMN_TYPES if pattern.fullmatch(folded)), None)


def _cell_spans(text: str) -> Iterator[tuple[int, int, str]]:
    columns: list[str | None] | None = None
    position = 0
    for line in text.split("\n"):
        start, end = position, position + len(line)
        position = end + 1
        cells = _cells(text, start, end)
        if len(cells) < 3:
            columns = None
            continue
        typed = [_column_type(text[a:b]) for a, b in cells]
        if sum(t is not None for t in typed) >= max(2, len(cells) // 2):
            columns = typed  # a header row
            continue
        if columns is None or len(cells) != len(columns):
            continue
        for (a, b), entity in zip(cells, columns, strict=True):
            if entity is not None and text[a:b].strip():
                yield a, b, entity
