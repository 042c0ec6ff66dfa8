"""The independent PII dataset is well-formed, and the committed files are exactly what build.py makes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.data.pii.independent.document import ENTITY_TYPES
from tests.data.pii.independent.validate import overlap_between, validate_file, validate_record

FOLDER = Path(__file__).parent
REPO_ROOT = FOLDER.parents[3]


@pytest.mark.parametrize("split", ["dev", "test"])
def test_split_passes_the_validator(split: str) -> None:
    assert validate_file(FOLDER / f"{split}.jsonl") == []


@pytest.mark.parametrize("split", ["dev", "test"])
def test_split_has_every_type_and_a_fifth_without_pii(split: str) -> None:
    rows = [json.loads(line) for line in (FOLDER / f"{split}.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 250
    assert {span["type"] for row in rows for span in row["spans"]} == ENTITY_TYPES
    assert {row["generator"] for row in rows} == {"compositional", "records", "handwritten"}
    no_pii = sum(1 for row in rows if not row["spans"]) / len(rows)
    assert 0.15 <= no_pii <= 0.3


def test_no_document_text_is_shared_between_splits() -> None:
    assert overlap_between(FOLDER / "dev.jsonl", FOLDER / "test.jsonl") == set()


def test_validator_catches_bad_offsets_overlaps_and_check_digits() -> None:
    text = "card 4111 1111 1111 1112 for Ana Lima, NPI 1234567890"
    name, npi = text.index("Ana Lima"), text.index("1234567890")
    record = {
        "id": "x",
        "kind": "k",
        "generator": "g",
        "text": text,
        "spans": [
            {"start": 5, "end": 24, "type": "CREDIT_CARD"},  # fails Luhn
            {"start": name, "end": name + 8, "type": "PERSON"},
            {"start": name + 4, "end": name + 10, "type": "PERSON"},  # overlaps, and ends in ", "
            {"start": npi, "end": npi + 10, "type": "NPI"},  # fails the 80840-prefixed Luhn
            {"start": npi + 5, "end": npi + 50, "type": "NPI"},  # runs past the text
        ],
    }
    errors = " | ".join(validate_record(record))
    assert "CREDIT_CARD" in errors
    assert "overlaps" in errors
    assert "outer whitespace" in errors
    assert "NPI '1234567890'" in errors
    assert "outside text" in errors


def test_rebuild_is_byte_identical(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "tests.data.pii.independent.build", "--out", str(tmp_path)],
        cwd=REPO_ROOT,
        check=True,
        capture_output=True,
    )
    for split in ("dev", "test"):
        assert (tmp_path / f"{split}.jsonl").read_bytes() == (FOLDER / f"{split}.jsonl").read_bytes()
