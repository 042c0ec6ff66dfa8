from __future__ import annotations

import pytest
from pydantic import ValidationError

from gateway.pii.rules import PiiAction, PiiRules


def test_default_is_strict_every_type_replaced_both_ways() -> None:
    rules = PiiRules.default()
    assert rules.action_for("PERSON", "request") is PiiAction.PSEUDONYMIZE
    assert rules.action_for("US_SSN", "response") is PiiAction.REDACT
    assert all(rules.action_for(t, "request") is not PiiAction.ALLOW for t in ("IBAN_CODE", "NPI"))


def test_per_type_rule_and_threshold_override_the_default() -> None:
    rules = PiiRules.model_validate(
        {"min_score": 0.5, "entities": {"US_SSN": {"request": "block", "min_score": 0.9}}}
    )
    assert rules.action_for("US_SSN", "request") is PiiAction.BLOCK
    assert rules.min_score_for("US_SSN") == 0.9
    assert rules.min_score_for("PERSON") == 0.5


@pytest.mark.parametrize(
    "bad",
    [
        {"entities": {"NOT_A_TYPE": {}}},
        {"entities": {"PERSON": {"request": "shred"}}},
        {"unknown_field": 1},
        {"custom_recognizers": [{"entity_type": "CASE", "patterns": ["(unclosed"]}]},
        {"custom_recognizers": [{"entity_type": "CASE", "patterns": ["a" * 301]}]},
        {"deny_terms": [{"term": "x"}]},
    ],
)
def test_invalid_rules_are_refused(bad: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        PiiRules.model_validate(bad)


def test_custom_and_deny_types_may_be_configured() -> None:
    rules = PiiRules.model_validate(
        {
            "custom_recognizers": [{"entity_type": "CASE_NUMBER", "patterns": [r"SM-\d{6}"]}],
            "deny_terms": [{"term": "Ward 7B", "entity_type": "WARD"}],
            "entities": {"CASE_NUMBER": {"request": "redact"}, "WARD": {"request": "mask"}},
        }
    )
    assert rules.action_for("WARD", "request") is PiiAction.MASK
    assert rules.is_allowed_term("x") is False


def test_shadow_mode_and_shadow_action_count_without_changing() -> None:
    tenant_wide = PiiRules.model_validate({"mode": "shadow", "entities": {"US_SSN": {"request": "block"}}})
    assert tenant_wide.action_for("US_SSN", "request") is PiiAction.SHADOW
    assert tenant_wide.action_for("PERSON", "response") is PiiAction.SHADOW
    per_type = PiiRules.model_validate({"entities": {"PERSON": {"request": "shadow"}}})
    assert per_type.action_for("PERSON", "request") is PiiAction.SHADOW
    assert per_type.action_for("US_SSN", "request") is PiiAction.PSEUDONYMIZE


def test_allowed_types_are_not_looked_for_and_bank_ids_are_off_unless_named() -> None:
    rules = PiiRules.model_validate({"entities": {"PERSON": {"request": "allow"}}})
    wanted = rules.wanted_types(["PERSON", "US_SSN", "ABA_ROUTING_NUMBER", "SWIFT_CODE"], "request")
    assert wanted == ["US_SSN"]
    named = PiiRules.model_validate({"entities": {"SWIFT_CODE": {}}})
    assert "SWIFT_CODE" in named.wanted_types(["SWIFT_CODE"], "request")
