"""An identifier in brackets right after a person's name is their record number: "Zhao Mei (5378-906)".

Lab reports, worklists and audit notes write the patient as "Name (id)" with no label; the bracketed
value is the MRN (or a hospital / chart number, the same class of identifier under HIPAA). Only values
with five or more digits count, so an age ("(45)") or a year ("(2019)") is not taken, and only values
no other recognizer explained (a date of birth or a phone number in brackets keeps its own type).
"""

from __future__ import annotations

import re

from gateway.pii import entity_types as et

_BRACKETED_ID = re.compile(
    r"[ \t]*\([ \t]*(?P<id>(?:[A-Za-z]{1,3}[- ]?)?\d[\d-]{3,14}\d|[A-Za-z]{1,3}\d{4,})[ \t]*[),;]"
)
MIN_DIGITS = 5
BRACKETED_ID_SCORE = 0.7


def identifiers_after_names(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int]]:
    """(start, end) of each bracketed identifier that directly follows a PERSON span in ``spans``."""
    found: list[tuple[int, int]] = []
    for _, end, entity_type in spans:
        if entity_type != et.PERSON:
            continue
        match = _BRACKETED_ID.match(text, end)
        if match is None or sum(ch.isdigit() for ch in match.group("id")) < MIN_DIGITS:
            continue
        start, stop = match.span("id")
        if not any(s < stop and start < e for s, e, _ in spans):
            found.append((start, stop))
    return found
