"""``bulwark policy check / diff / show``: the real commands, run in-process."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from gateway.cli.main import app
from gateway.policy.policy_set import load_policy_set
from gateway.policy.schema import ValidationOptions
from tests.gateway.policy.policy_files import tenant_yaml, write_policy


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["policy", *args])
    return result.exit_code, result.output


def test_check_prints_every_problem_and_exits_nonzero(tmp_path: Path) -> None:
    write_policy(tmp_path, "tenants/t.yaml", "tenant: t\nname: T\ncolour: red\nupstream: x\n")
    write_policy(tmp_path, "tenants/u.yaml", tenant_yaml("u"))
    code, output = _run("check", str(tmp_path))
    assert code == 1
    assert output.splitlines() == [
        f"{tmp_path}/tenants/t.yaml:3:1: unknown key 'colour'",
        f"{tmp_path}/tenants/t.yaml:4:11: upstream: unknown upstream 'x': configured pools are default",
    ]


def test_check_of_one_file_reports_only_that_file(tmp_path: Path) -> None:
    write_policy(tmp_path, "tenants/t.yaml", "tenant: t\nname: T\ncolour: red\n")
    good = write_policy(tmp_path, "tenants/u.yaml", tenant_yaml("u"))
    code, output = _run("check", str(good))
    assert code == 0 and output.startswith(f"{good}: valid")


def test_check_passes_a_valid_directory_and_names_its_version(tmp_path: Path) -> None:
    write_policy(tmp_path, "tenants/t.yaml", tenant_yaml("t"))
    code, output = _run("check", str(tmp_path))
    version = load_policy_set(tmp_path, ValidationOptions()).version
    assert code == 0 and output.strip().endswith(f"1 tenant(s) valid, version {version}")


def test_diff_shows_the_effective_difference(tmp_path: Path) -> None:
    write_policy(tmp_path, "old/base/b.yaml", "tokens: {max_tokens: 10}\n")
    write_policy(tmp_path, "old/tenants/t.yaml", tenant_yaml("t", "extends: b\n"))
    write_policy(tmp_path, "new/base/b.yaml", "tokens: {max_tokens: 20}\n")
    write_policy(tmp_path, "new/tenants/t.yaml", tenant_yaml("t", "extends: b\n"))
    code, output = _run("diff", str(tmp_path / "old"), str(tmp_path / "new"))
    assert code == 0
    assert output.splitlines() == ["t: tokens.max_tokens: 10 -> 20"]  # the tenant file did not change
    code, output = _run("diff", str(tmp_path / "old/tenants/t.yaml"), str(tmp_path / "new/tenants/t.yaml"))
    assert output.splitlines() == ["tokens.max_tokens: 10 -> 20"]


def test_show_prints_the_merged_policy_and_the_hash(tmp_path: Path) -> None:
    write_policy(tmp_path, "base/b.yaml", "budgets: {tokens_per_day: 77}\n")
    write_policy(tmp_path, "tenants/t.yaml", tenant_yaml("t", "extends: b\n"))
    code, output = _run("show", "t", "--dir", str(tmp_path))
    assert code == 0 and "tokens_per_day: 77" in output and "- b" in output
    code, output = _run("show", "--hash", "--dir", str(tmp_path))
    assert output.strip() == load_policy_set(tmp_path, ValidationOptions()).version
    code, _ = _run("show", "nobody", "--dir", str(tmp_path))
    assert code == 1
