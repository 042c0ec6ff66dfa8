"""``bulwark policy``: check, diff and show tenant policies without running the gateway.

Reads ``BULWARK_POLICY_DIR`` and ``BULWARK_SERVED_MODELS`` like the gateway does, and needs no secrets,
so it runs in CI and in an admin's editor hooks.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import typer
from ruamel.yaml import YAML

from gateway.policy.diff import diff_policy, diff_sets
from gateway.policy.issues import PolicySetInvalid
from gateway.policy.policy_set import FOLDERS, PolicySet, display_path, load_policy_set
from gateway.policy.schema import ValidationOptions
from gateway.settings import Settings

policy_app = typer.Typer(help="Check, compare and show tenant policies.", no_args_is_help=True)


def _settings() -> Settings:
    return Settings()


def _options() -> ValidationOptions:
    return ValidationOptions(known_models=frozenset(_settings().served_models))


def _root_of(path: Path) -> Path:
    """The policy directory a path belongs to: itself, or the parent of its base/ or tenants/ folder."""
    if path.is_dir():
        return path
    if path.parent.name in FOLDERS:
        return path.parent.parent
    typer.echo(f"{path}: not inside a policy directory's base/ or tenants/ folder", err=True)
    raise typer.Exit(2)


def _load_or_exit(root: Path) -> PolicySet:
    try:
        return load_policy_set(root, _options())
    except PolicySetInvalid as error:
        for line in error.lines():
            typer.echo(line)
        raise typer.Exit(1) from None


@policy_app.command("check")
def check(
    paths: list[Path] | None = typer.Argument(
        None, help="Policy directories or files (default: BULWARK_POLICY_DIR)"
    ),
) -> None:
    """Validate policies; prints file:line:column: message for every problem and exits 1 if any."""
    targets = paths or [_settings().policy_dir]
    failed = False
    for root in dict.fromkeys(_root_of(target) for target in targets):
        named = {display_path(t) for t in targets if t.is_file() and _root_of(t) == root}
        try:
            policies = load_policy_set(root, _options())
        except PolicySetInvalid as error:
            shown = [i for i in error.issues if not named or i.path in named or i.origin in named]
            for issue in shown:
                typer.echo(str(issue))
            if not shown:
                typer.echo(f"{', '.join(sorted(named))}: valid (other files in {display_path(root)} are not)")
            failed = failed or bool(shown)
            continue
        typer.echo(
            f"{display_path(root)}: {len(policies.tenants)} tenant(s) valid, version {policies.version}"
        )
    if failed:
        raise typer.Exit(1)


def _effective(path: Path) -> dict[str, dict[str, object]]:
    policies = _load_or_exit(_root_of(path))
    if path.is_dir():
        return dict(policies.effective())
    tenant = policies.get(path.stem)
    if tenant is None:
        typer.echo(f"{path}: not a tenant policy file", err=True)
        raise typer.Exit(2)
    return {path.stem: tenant.model_dump(mode="json")}


@policy_app.command("diff")
def diff(old: Path = typer.Argument(...), new: Path = typer.Argument(...)) -> None:
    """Print the effective (merged) difference between two policy directories or two tenant files."""
    before, after = _effective(old), _effective(new)
    if old.is_file() and new.is_file():
        lines = diff_policy(next(iter(before.values())), next(iter(after.values())))
    else:
        lines = diff_sets(before, after)
    for line in lines or ["no effective difference"]:
        typer.echo(line)


@policy_app.command("show")
def show(
    tenant: str | None = typer.Argument(None, help="Tenant id (optional with --hash)"),
    version_hash: bool = typer.Option(False, "--hash", help="Print only the policy set's version hash"),
    policy_dir: Path | None = typer.Option(None, "--dir", help="Default: BULWARK_POLICY_DIR"),
) -> None:
    """Print a tenant's effective policy (bases merged in), or the set's version hash."""
    policies = _load_or_exit(policy_dir or _settings().policy_dir)
    if version_hash:
        typer.echo(policies.version)
        return
    if tenant is None:
        typer.echo("Name a tenant, or pass --hash.", err=True)
        raise typer.Exit(2)
    policy = policies.get(tenant)
    if policy is None:
        typer.echo(f"No policy for tenant {tenant!r}.", err=True)
        raise typer.Exit(1)
    buffer = io.StringIO()
    YAML().dump(policy.model_dump(mode="json"), buffer)
    sys.stdout.write(f"# effective policy of {tenant}, policy set version {policies.version}\n")
    sys.stdout.write(buffer.getvalue())
