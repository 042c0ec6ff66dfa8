"""Tenant rules applied by the analyzer: allow and deny terms, custom recognizers, thresholds."""

from __future__ import annotations

import pytest

from gateway.pii.analyzer import Finding, PiiAnalyzer, merge_overlapping
from gateway.pii.rules import PiiRules


def spans(analyzer: PiiAnalyzer, text: str, rules: PiiRules) -> dict[str, str]:
    return {text[f.start : f.end]: f.entity_type for f in analyzer.analyze(text, rules)}


def test_allow_terms_are_never_reported(analyzer: PiiAnalyzer) -> None:
    text = "Transferred to Mercy General from St Mary's Hospital; seen by Dr. Hannah Chen."
    rules = PiiRules.model_validate({"allow_terms": ["hannah chen"]})
    assert "Hannah Chen" in spans(analyzer, text, PiiRules.default())
    assert "Hannah Chen" not in spans(analyzer, text, rules)


def test_deny_terms_are_always_reported_under_their_type(analyzer: PiiAnalyzer) -> None:
    rules = PiiRules.model_validate({"deny_terms": [{"term": "Ward 7B", "entity_type": "LOCATION"}]})
    assert spans(analyzer, "Moved to ward 7b overnight.", rules) == {"ward 7b": "LOCATION"}


def test_custom_recognizer_scores_higher_with_context(analyzer: PiiAnalyzer) -> None:
    rules = PiiRules.model_validate(
        {
            "min_score": 0.7,
            "custom_recognizers": [
                {
                    "entity_type": "CASE_NUMBER",
                    "patterns": [r"\bSM-\d{6}\b"],
                    "score": 0.5,
                    "context": ["case"],
                }
            ],
        }
    )
    assert spans(analyzer, "Open case SM-123456 today.", rules) == {"SM-123456": "CASE_NUMBER"}
    assert spans(analyzer, "Part SM-123456 shipped.", rules) == {}


def test_per_type_threshold_drops_weaker_findings(analyzer: PiiAnalyzer) -> None:
    text = "Call 617-555-0199 tomorrow."
    strict = PiiRules.model_validate({"entities": {"PHONE_NUMBER": {"min_score": 0.99}}})
    assert spans(analyzer, text, PiiRules.default()) == {"617-555-0199": "PHONE_NUMBER"}
    assert spans(analyzer, text, strict) == {}


def test_overlapping_findings_merge_into_their_union_with_the_strongest_type() -> None:
    merged = merge_overlapping(
        [Finding(0, 10, "PERSON", 0.6), Finding(5, 20, "STREET_ADDRESS", 0.85), Finding(30, 34, "NPI", 0.9)]
    )
    assert merged == [Finding(0, 20, "STREET_ADDRESS", 0.85), Finding(30, 34, "NPI", 0.9)]


def test_empty_and_blank_text_have_no_findings(analyzer: PiiAnalyzer) -> None:
    assert analyzer.analyze("", PiiRules.default()) == []
    assert analyzer.analyze(" \n\t", PiiRules.default()) == []


def test_a_backtracking_tenant_pattern_times_out_instead_of_hanging(analyzer: PiiAnalyzer) -> None:
    rules = PiiRules.model_validate(
        {"custom_recognizers": [{"entity_type": "CASE_NUMBER", "patterns": [r"(x+x+)+y"]}]}
    )
    with pytest.raises(TimeoutError):
        analyzer.analyze("x" * 5000, rules)
