"""SECURITY.md is evidence: every test its compliance map names exists (issue 13)."""

from __future__ import annotations

import re

from tests.servers import REPO

SECURITY = REPO / "SECURITY.md"
NAMED_TEST = re.compile(r"`(tests/[\w/]+\.py)::(test_\w+)`")
REQUIRED_ROWS = (
    "HIPAA 164.312(a)",
    "HIPAA 164.312(b)",
    "HIPAA 164.312(c)",
    "HIPAA 164.312(d)",
    "HIPAA 164.312(e)",
    "HIPAA 164.316",
    *(f"PCI DSS 10.{n}" for n in range(2, 8)),
    "PCI DSS 3.6",
    "PCI DSS 3.7",
    "EU AI Act Art. 12",
)


def _compliance_rows() -> list[str]:
    text = SECURITY.read_text(encoding="utf-8")
    section = text.split("## Compliance map", 1)[1].split("\n## ", 1)[0]
    return [line for line in section.splitlines() if line.startswith("| ") and "`tests/" in line]


def test_every_requirement_has_a_row_naming_a_test() -> None:
    rows = _compliance_rows()
    for requirement in REQUIRED_ROWS:
        matching = [row for row in rows if row.startswith(f"| {requirement}")]
        assert matching, f"no compliance-map row for {requirement}"
        assert all(NAMED_TEST.search(row) for row in matching), requirement


def test_every_named_test_exists() -> None:
    named = [match for row in _compliance_rows() for match in NAMED_TEST.findall(row)]
    assert len(named) >= len(REQUIRED_ROWS)
    for path, name in named:
        source = REPO / path
        assert source.is_file(), path
        assert re.search(rf"^(async )?def {name}\(", source.read_text(encoding="utf-8"), re.M), (
            f"{path}::{name}"
        )
