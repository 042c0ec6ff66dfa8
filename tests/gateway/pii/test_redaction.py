from __future__ import annotations

from collections.abc import Mapping

from gateway.pii.analyzer import Finding
from gateway.pii.pseudonyms import Pseudonymizer
from gateway.pii.redaction import Redaction, Redactor, mask
from gateway.pii.rules import Direction, PiiRules

TEXT = "SSN 123-45-6789 for Maria Garcia"
FINDINGS = [Finding(4, 15, "US_SSN", 0.95), Finding(20, 32, "PERSON", 0.85)]


def redact(rules: Mapping[str, object], direction: Direction = "request") -> Redaction:
    return Redactor(Pseudonymizer(b"s" * 32)).apply(
        TEXT, FINDINGS, PiiRules.model_validate(rules), direction, "tenant"
    )


def test_mask_keeps_last_four_and_separators() -> None:
    assert mask("123-45-6789") == "***-**-6789"
    assert mask("4111 1111 1111 1111") == "**** **** **** 1111"
    assert mask("ab1") == "***"


def test_each_action() -> None:
    rules = {"entities": {"US_SSN": {"request": "mask"}, "PERSON": {"request": "redact"}}}
    assert redact(rules).text == "SSN ***-**-6789 for <PERSON>"
    allowed = {"entities": {"US_SSN": {"request": "allow"}, "PERSON": {"request": "allow"}}}
    assert redact(allowed).text == TEXT
    pseudonymized = redact({})
    assert "Maria" not in pseudonymized.text and "6789" not in pseudonymized.text
    assert sorted(pseudonymized.pseudonyms.values()) == ["123-45-6789", "Maria Garcia"]


def test_block_is_reported_by_type_and_counts_are_kept() -> None:
    result = redact({"entities": {"US_SSN": {"request": "block"}}})
    assert result.blocked_types == {"US_SSN"}
    assert dict(result.counts) == {"US_SSN": 1, "PERSON": 1}


def test_shadow_keeps_the_text_and_counts_by_type_and_action() -> None:
    result = redact({"entities": {"US_SSN": {"request": "shadow"}, "PERSON": {"request": "redact"}}})
    assert result.text == "SSN 123-45-6789 for <PERSON>"
    assert dict(result.counts) == {"US_SSN": 1, "US_SSN:shadow": 1, "PERSON": 1}
    assert not result.blocked_types
