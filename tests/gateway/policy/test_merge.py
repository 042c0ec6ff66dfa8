"""``extends``: mappings merge key by key, other values replace, bases apply in order."""

from __future__ import annotations

from pathlib import Path

from gateway.pii.rules import PiiAction
from tests.gateway.policy.policy_files import load, tenant_yaml, write_policy


def _two_bases(root: Path) -> None:
    write_policy(
        root,
        "base/strict.yaml",
        """
        description: strict base
        tokens: {max_tokens: 100, max_input_tokens: 1000, on_exceed: reject}
        rate_limits:
          per_key: {requests_per_minute: 10, concurrent_requests: 2}
        pii:
          entities:
            US_SSN: {request: block}
            PERSON: {request: redact}
          allow_terms: [Base Clinic]
        audit: {retention_days: 2190}
        """,
    )
    write_policy(
        root,
        "base/loose.yaml",
        """
        extends: strict
        tokens: {max_tokens: 400}
        allow_streaming: false
        """,
    )


def test_child_overrides_scalars_and_inherits_the_rest(tmp_path: Path) -> None:
    _two_bases(tmp_path)
    write_policy(
        tmp_path,
        "tenants/t.yaml",
        tenant_yaml("t", "extends: loose\nrate_limits:\n  per_key: {requests_per_minute: 3}\n"),
    )
    policy = load(tmp_path).tenants["t"]
    assert policy.extends == ("strict", "loose")
    assert policy.tokens.max_tokens == 400  # loose over strict
    assert policy.tokens.max_input_tokens == 1000  # from strict
    assert policy.tokens.on_exceed == "reject"
    assert policy.rate_limits.per_key.requests_per_minute == 3  # the tenant's own
    assert policy.rate_limits.per_key.concurrent_requests == 2  # merged, not replaced
    assert policy.allow_streaming is False
    assert policy.audit.retention_days == 2190
    assert policy.description is None  # a description belongs to its own file


def test_mappings_merge_and_lists_replace(tmp_path: Path) -> None:
    _two_bases(tmp_path)
    extra = """
    extends: strict
    pii:
      entities:
        PERSON: {request: pseudonymize}
      allow_terms: [St Mary's]
    """
    write_policy(tmp_path, "tenants/t.yaml", tenant_yaml("t", extra))
    pii = load(tmp_path).tenants["t"].pii
    assert pii.action_for("US_SSN", "request") == PiiAction.BLOCK  # kept from the base
    assert pii.action_for("PERSON", "request") == PiiAction.PSEUDONYMIZE  # overridden
    assert pii.allow_terms == ["St Mary's"]  # the list was replaced, not appended


def test_several_bases_apply_left_to_right(tmp_path: Path) -> None:
    write_policy(tmp_path, "base/a.yaml", "tokens: {max_tokens: 10, max_input_tokens: 20}\n")
    write_policy(tmp_path, "base/b.yaml", "tokens: {max_tokens: 30}\n")
    write_policy(tmp_path, "tenants/t.yaml", tenant_yaml("t", "extends: [a, b]\n"))
    policy = load(tmp_path).tenants["t"]
    assert (policy.tokens.max_tokens, policy.tokens.max_input_tokens) == (30, 20)
    assert policy.extends == ("a", "b")


def test_a_shared_ancestor_is_merged_once(tmp_path: Path) -> None:
    write_policy(tmp_path, "base/root.yaml", "budgets: {tokens_per_day: 5}\n")
    write_policy(tmp_path, "base/a.yaml", "extends: root\n")
    write_policy(tmp_path, "base/b.yaml", "extends: root\nbudgets: {tokens_per_month: 50}\n")
    write_policy(tmp_path, "tenants/t.yaml", tenant_yaml("t", "extends: [a, b]\n"))
    policy = load(tmp_path).tenants["t"]
    assert policy.extends == ("root", "a", "b")
    assert (policy.budgets.tokens_per_day, policy.budgets.tokens_per_month) == (5, 50)


def test_a_custom_entity_type_from_the_base_may_be_configured_by_the_tenant(tmp_path: Path) -> None:
    base = "pii:\n  custom_recognizers:\n    - entity_type: CASE_NO\n      patterns: ['C-\\d{4}']\n"
    write_policy(tmp_path, "base/b.yaml", base)
    extra = "extends: b\npii:\n  entities:\n    CASE_NO: {request: block}\n"
    write_policy(tmp_path, "tenants/t.yaml", tenant_yaml("t", extra))
    assert load(tmp_path).tenants["t"].pii.action_for("CASE_NO", "request") == PiiAction.BLOCK
