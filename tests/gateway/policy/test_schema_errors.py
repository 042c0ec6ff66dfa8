"""Every kind of policy error is reported as ``file:line:column: message`` at the line to fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from gateway.policy.issues import PolicySetInvalid
from tests.gateway.policy.policy_files import load, write_policy

CASES = {
    "yaml syntax": ("tenant: t\nname: [unclosed\n", "3:1", "YAML syntax error"),
    "duplicate key": ("tenant: t\nname: Ann Lee\nname: Bo\n", "3:1", "duplicate key 'name'"),
    "unknown top-level key": ("tenant: t\nname: T\ncolour: blue\n", "3:1", "unknown key 'colour'"),
    "unknown nested key": (
        "tenant: t\nname: T\nrate_limits:\n  per_key:\n    requests_per_minut: 5\n",
        "5:5",
        "unknown key 'requests_per_minut' in rate_limits.per_key",
    ),
    "wrong type": ("tenant: t\nname: T\ntokens:\n  max_tokens: many\n", "4:15", "tokens.max_tokens"),
    "bool as int": ("tenant: t\nname: T\nbudgets:\n  tokens_per_day: true\n", "4:19", "valid integer"),
    "negative limit": (
        "tenant: t\nname: T\nrate_limits:\n  per_tenant:\n    concurrent_requests: 0\n",
        "5:26",
        "greater than 0",
    ),
    "bad choice": ("tenant: t\nname: T\ntokens:\n  on_exceed: truncate\n", "4:14", "'reject' or 'clamp'"),
    "unknown model": (
        "tenant: t\nname: T\nmodels:\n  allowed:\n    - smollm2-135m-instruct\n    - gpt-4\n",
        "6:7",
        "unknown model 'gpt-4'",
    ),
    "unknown entity": (
        "tenant: t\nname: T\npii:\n  entities:\n    PERSN:\n      request: allow\n",
        "5:5",
        "unknown PII entity type 'PERSN'",
    ),
    "bad pii action": (
        "tenant: t\nname: T\npii:\n  entities:\n    PERSON: {request: shred}\n",
        "5:23",
        "pii.entities.PERSON.request",
    ),
    "bad regex": (
        "tenant: t\nname: T\npii:\n  custom_recognizers:\n    - entity_type: CASE_NO\n      patterns: ['(']\n",
        "6:17",
        "invalid regular expression",
    ),
    "bad body storage": ("tenant: t\nname: T\naudit:\n  store_bodies: all\n", "4:17", "audit.store_bodies"),
    "bad streaming flag": ("tenant: t\nname: T\nallow_streaming: maybe\n", "3:18", "valid boolean"),
    "unknown upstream": ("tenant: t\nname: T\nupstream: gpu-farm\n", "3:11", "unknown upstream"),
    "missing name": ("tenant: t\n", "1:1", "missing required key 'name'"),
    "tenant id mismatch": ("tenant: other\nname: T\n", "1:9", "does not match the file name"),
    "not a mapping": ("- a\n- b\n", "1:1", "must be a mapping"),
    "unknown base": ("tenant: t\nname: T\nextends: nope\n", "3:10", "unknown base policy 'nope'"),
    "bad extends type": ("tenant: t\nname: T\nextends: {a: 1}\n", "3:10", "extends must be"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_error_names_its_line_and_column(tmp_path: Path, case: str) -> None:
    text, where, fragment = CASES[case]
    write_policy(tmp_path, "tenants/t.yaml", text)
    with pytest.raises(PolicySetInvalid) as refused:
        load(tmp_path)
    lines = refused.value.lines()
    expected_prefix = f"{tmp_path / 'tenants/t.yaml'}:{where}: "
    assert any(line.startswith(expected_prefix) and fragment in line for line in lines), lines


def test_cycle_in_extends_is_reported_at_the_extends_line(tmp_path: Path) -> None:
    write_policy(tmp_path, "base/a.yaml", "description: A\nextends: b\n")
    write_policy(tmp_path, "base/b.yaml", "extends: [a]\n")
    with pytest.raises(PolicySetInvalid) as refused:
        load(tmp_path)
    lines = refused.value.lines()
    assert f"{tmp_path / 'base/a.yaml'}:2:10: cycle in extends: b -> a -> b" in lines
    assert f"{tmp_path / 'base/b.yaml'}:1:11: cycle in extends: a -> b -> a" in lines


def test_an_error_inherited_from_a_base_points_into_the_base(tmp_path: Path) -> None:
    write_policy(tmp_path, "base/strict.yaml", "tokens:\n  max_tokens: -5\n")
    write_policy(tmp_path, "tenants/t.yaml", "tenant: t\nname: T\nextends: strict\n")
    with pytest.raises(PolicySetInvalid) as refused:
        load(tmp_path)
    assert [issue.path for issue in refused.value.issues] == [str(tmp_path / "base/strict.yaml")]
    assert refused.value.issues[0].line == 2


def test_every_problem_in_the_set_is_reported_at_once(tmp_path: Path) -> None:
    write_policy(tmp_path, "tenants/t.yaml", "tenant: t\nname: T\ncolour: blue\nupstream: x\n")
    write_policy(tmp_path, "tenants/u.yaml", "tenant: u\nname: [\n")
    with pytest.raises(PolicySetInvalid) as refused:
        load(tmp_path)
    assert len(refused.value.issues) == 3


def test_a_missing_directory_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(PolicySetInvalid, match="1 problem"):
        load(tmp_path / "absent")


def test_alias_bombs_and_unreadable_files_are_refused_not_expanded(tmp_path: Path) -> None:
    bomb = "tenant: t\nname: T\na: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(10)
    )
    write_policy(tmp_path, "tenants/t.yaml", bomb)
    (tmp_path / "tenants/u.yaml").write_bytes(b"tenant: u\nname: \xff\xfe\n")
    with pytest.raises(PolicySetInvalid) as refused:
        load(tmp_path)
    messages = [issue.message for issue in refused.value.issues]
    assert any("at most 50000 values" in m for m in messages), messages
    assert "cannot read the file (UnicodeDecodeError)" in messages
