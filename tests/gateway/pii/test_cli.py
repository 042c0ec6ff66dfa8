"""``bulwark pii scan`` through the real CLI entry point, on stdin / stdout."""

from __future__ import annotations

import json
from typing import Any

from typer.testing import CliRunner

from gateway.cli.main import app

LINES = [
    {"id": "a", "text": "Patient: SMITH, John  MRN 1234567, case SM-123456 on Ward 7B at St Mary's Hospital"},
    {"id": "b", "text": "Take 5 mg daily for 5 days."},
]


def scan(*options: str) -> list[dict[str, Any]]:
    stdin = "".join(json.dumps(line) + "\n" for line in LINES)
    result = CliRunner().invoke(app, ["pii", "scan", *options], input=stdin)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_default_rules_report_spans_with_offsets_type_and_score() -> None:
    a, b = scan()
    text = LINES[0]["text"]
    assert isinstance(text, str)
    found = {text[s["start"] : s["end"]]: s["type"] for s in a["spans"]}
    assert found == {"SMITH, John": "PERSON", "1234567": "MEDICAL_RECORD_NUMBER"}
    assert all(0 < s["score"] <= 1 for s in a["spans"])
    assert b == {"id": "b", "spans": []}


def test_tenant_policy_adds_its_custom_recognizer_and_deny_terms() -> None:
    a, _ = scan("--policy", "st-mary-hospital")
    types = {s["type"] for s in a["spans"]}
    assert {"CASE_NUMBER", "LOCATION", "PERSON", "MEDICAL_RECORD_NUMBER"} <= types


def test_unknown_tenant_and_bad_input_exit_non_zero() -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["pii", "scan", "--policy", "nobody"], input="").exit_code == 2
    assert runner.invoke(app, ["pii", "scan"], input="not json\n").exit_code == 2
