"""The labelled corpus is reproducible, and the detector meets the issue's bar on the held-out part.

This is a quality gate, not a timing: bench/pii_eval.py prints the same numbers as a table.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

from tests.data.pii.generate_corpus import CORPUS, build_corpus

REPO = Path(__file__).resolve().parents[3]
CRITICAL_TYPES = [
    "US_SSN",
    "CREDIT_CARD",
    "IBAN_CODE",
    "MEDICAL_RECORD_NUMBER",
    "EMAIL_ADDRESS",
    "PHONE_NUMBER",
]


def _eval_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("pii_eval", REPO / "bench" / "pii_eval.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_corpus_is_what_the_seeded_generator_writes() -> None:
    committed = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines()]
    assert committed == build_corpus()
    assert len(committed) >= 300
    assert {d["split"] for d in committed} == {"dev", "heldout"}
    assert sum(not d["spans"] for d in committed) >= 50  # documents without PII
    for doc in committed:
        for span in doc["spans"]:
            value = doc["text"][span["start"] : span["end"]]
            assert value and value == value.strip()


@pytest.mark.slow
def test_held_out_split_meets_the_bar() -> None:
    result = _eval_module().evaluate("heldout")
    assert result["overall"]["recall"] >= 0.98
    assert result["overall"]["precision"] >= 0.85
    for entity_type in CRITICAL_TYPES:
        assert result["per_type"][entity_type]["recall"] >= 0.99, entity_type
    assert result["no_pii_flagged_share"] <= 0.10
