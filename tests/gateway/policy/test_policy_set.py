"""The policy set: its version hash, and the policies the project ships."""

from __future__ import annotations

from pathlib import Path

from gateway.policy.diff import diff_sets
from gateway.policy.policy_set import load_policy_set
from gateway.policy.schema import ValidationOptions
from tests.gateway.policy.policy_files import load, tenant_yaml, write_policy

SHIPPED = Path(__file__).resolve().parents[3] / "policies"


def test_shipped_policies_are_valid_and_cover_the_examples() -> None:
    policies = load_policy_set(SHIPPED, ValidationOptions())
    assert {"demo", "st-mary-hospital", "harbor-bank"} <= set(policies.tenants)
    assert policies.tenants["st-mary-hospital"].extends == ("hipaa",)
    assert policies.tenants["harbor-bank"].extends == ("pci",)
    assert policies.tenants["harbor-bank"].allow_streaming is False


def test_version_ignores_comments_and_layout_but_not_values(tmp_path: Path) -> None:
    path = write_policy(tmp_path, "tenants/t.yaml", tenant_yaml("t", "budgets: {tokens_per_day: 10}\n"))
    first = load(tmp_path).version
    path.write_text("# a comment\n" + tenant_yaml("t", "budgets:\n  tokens_per_day: 10\n"))
    assert load(tmp_path).version == first
    path.write_text(tenant_yaml("t", "budgets: {tokens_per_day: 11}\n"))
    assert load(tmp_path).version != first


def test_diff_names_changed_settings_but_never_term_values(tmp_path: Path) -> None:
    path = write_policy(
        tmp_path, "tenants/t.yaml", tenant_yaml("t", "pii: {deny_terms: [{term: Ann Lee}]}\n")
    )
    before = load(tmp_path).effective()
    path.write_text(tenant_yaml("t", "tokens: {max_tokens: 9}\npii: {deny_terms: [{term: Bo Chan}]}\n"))
    write_policy(tmp_path, "tenants/u.yaml", tenant_yaml("u"))
    lines = diff_sets(before, load(tmp_path).effective())
    assert "t: tokens.max_tokens: null -> 9" in lines
    assert "t: pii.deny_terms: [1 entries] -> [1 entries]" in lines
    assert "u: policy added" in lines
    assert not any("Lee" in line or "Chan" in line for line in lines)
