"""Checks a dataset file: offsets point at non-empty text, spans do not overlap, types are known,
and identifiers with check digits (cards, IBANs, NPIs, DEA numbers, SSNs) are valid."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.data.pii.independent.checksums import dea_valid, iban_valid, luhn_valid, npi_valid
from tests.data.pii.independent.document import ENTITY_TYPES

_SSN = re.compile(r"^(\d{3})[- ]?(\d{2})[- ]?(\d{4})$")


def _ssn_valid(value: str) -> bool:
    match = _SSN.match(value)
    if match is None:
        return False
    area, group, serial = match.groups()
    return area not in {"000", "666"} and area[0] != "9" and group != "00" and serial != "0000"


_CHECKS: dict[str, Callable[[str], bool]] = {
    "CREDIT_CARD": lambda v: luhn_valid(v) and 13 <= sum(c.isdigit() for c in v) <= 19,
    "IBAN_CODE": iban_valid,
    "NPI": npi_valid,
    "DEA_NUMBER": lambda v: dea_valid(v.upper()),
    "US_SSN": _ssn_valid,
}


def _span_errors(text: str, spans: list[dict[str, Any]]) -> list[str]:
    errors = []
    previous_end = -1
    for span in sorted(spans, key=lambda s: (s["start"], s["end"])):
        start, end, entity_type = span["start"], span["end"], span["type"]
        if entity_type not in ENTITY_TYPES:
            errors.append(f"unknown type {entity_type}")
        if not 0 <= start < end <= len(text):
            errors.append(f"offsets {start}-{end} outside text of length {len(text)}")
            continue
        value = text[start:end]
        if not value.strip() or value != value.strip():
            errors.append(f"{entity_type} span {start}-{end} is empty or has outer whitespace: {value!r}")
        if start < previous_end:
            errors.append(f"span {start}-{end} overlaps the previous span")
        previous_end = max(previous_end, end)
        check = _CHECKS.get(entity_type)
        if check is not None and not check(value):
            errors.append(f"{entity_type} {value!r} fails its check digit or format")
    return errors


def validate_record(record: dict[str, Any]) -> list[str]:
    missing = {"id", "kind", "generator", "text", "spans"} - record.keys()
    if missing:
        return [f"missing keys {sorted(missing)}"]
    return [f"{record['id']}: {error}" for error in _span_errors(record["text"], record["spans"])]


def validate_file(path: Path) -> list[str]:
    errors: list[str] = []
    seen: set[str] = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        record = json.loads(line)
        if record.get("id") in seen:
            errors.append(f"line {number}: duplicate id {record['id']}")
        seen.add(record.get("id", ""))
        errors.extend(validate_record(record))
    return errors


def overlap_between(dev: Path, test: Path) -> set[str]:
    """Texts that appear in both splits (there should be none)."""

    def texts(path: Path) -> set[str]:
        return {json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines()}

    return texts(dev) & texts(test)


def main() -> int:
    folder = Path(__file__).parent
    errors = validate_file(folder / "dev.jsonl") + validate_file(folder / "test.jsonl")
    errors += [
        f"text in both splits: {t[:60]!r}"
        for t in overlap_between(folder / "dev.jsonl", folder / "test.jsonl")
    ]
    for error in errors:
        print(error)
    print(f"{len(errors)} errors")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
