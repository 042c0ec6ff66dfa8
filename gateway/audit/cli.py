"""``bulwark audit``: verify, purge, shred, new-kek, rotate-kek, legal holds, retention, checkpoint.

Every act that changes the ledger commits with its own audit record and is then covered by a fresh
signed checkpoint, so the act itself is tamper-evident from that moment.
"""

from __future__ import annotations

from pathlib import Path

import typer

from gateway.audit import retention
from gateway.audit.checkpoints import load_public_key, public_key_id
from gateway.audit.components import checkpoint_signer, checkpointer, key_provider, policy_set_retention
from gateway.audit.new_kek import new_kek_command
from gateway.audit.rotation import rotate_kek
from gateway.audit.verify import verify_ledger
from gateway.cli.context import cli_settings, console, errors, migrated_database
from gateway.db.session import Database
from gateway.errors import BulwarkError
from gateway.policy.issues import PolicySetInvalid
from gateway.policy.policy_set import load_policy_set
from gateway.policy.runtime import validation_options
from gateway.settings import Settings

audit_app = typer.Typer(help="Verify, retain, shred and rotate the audit ledger.", no_args_is_help=True)
CLI_ACTOR = "cli"


def _sign(settings: Settings, database: Database) -> None:
    checkpoint = checkpointer(settings, database).checkpoint(actor=CLI_ACTOR)
    if checkpoint is not None:
        console.print(f"Signed checkpoint at sequence {checkpoint.seq}.")


audit_app.command("new-kek")(new_kek_command)


@audit_app.command("verify")
def verify(
    public_key: list[Path] = typer.Option(
        [],
        "--public-key",
        help="Trust checkpoints signed by this Ed25519 key (PEM, public or private; repeatable). "
        "Default: the configured signing key.",
    ),
    show_all: bool = typer.Option(False, "--all", help="List every fault found, not only the first"),
) -> None:
    """Check the chain, bodies, data keys and signed checkpoints; exit 1 naming the first fault."""
    settings = cli_settings()
    database = migrated_database(settings)
    try:
        keys = [load_public_key(path) for path in public_key]
        trusted = {public_key_id(key): key for key in keys} or checkpoint_signer(settings).trusted()
    except (OSError, ValueError) as error:
        errors.print(f"[red]No usable checkpoint key: {error}[/red]")
        raise typer.Exit(2) from None
    report = verify_ledger(database, trusted)
    fault = report.fault
    if fault is not None:
        errors.print(f"FAULT at sequence {fault.seq}: {fault.kind} ({fault.detail})")
        if show_all:
            for other in sorted(report.faults, key=lambda item: item.seq)[1:]:
                errors.print(f"  also at sequence {other.seq}: {other.kind} ({other.detail})")
        raise typer.Exit(1)
    console.print(
        f"OK: {report.records} records, {report.checkpoints} checkpoints verified; "
        f"signed through sequence {report.signed_through}."
    )


@audit_app.command("purge")
def purge() -> None:
    """Delete bodies past each tenant's retention (tenants under legal hold are skipped)."""
    settings = cli_settings()
    try:
        policy_set = load_policy_set(settings.policy_dir, validation_options(settings))
    except PolicySetInvalid as error:
        # Retention comes from the policies: with them unreadable, deleting anything could be wrong.
        errors.print(
            f"[red]Refusing to purge: the policy set is invalid ({len(error.issues)} issue(s)).[/red]"
        )
        raise typer.Exit(1) from None
    database = migrated_database(settings)
    results = retention.purge_expired(
        database, settings.audit_retention_days, CLI_ACTOR, policy_set_retention(policy_set)
    )
    for result in results:
        console.print(
            f"{result.tenant_id}: {result.bodies_deleted} bodies purged (before {result.cutoff:%F})."
        )
    if not results:
        console.print("Nothing past retention.")
    _sign(settings, database)


@audit_app.command("shred")
def shred(
    tenant: str = typer.Option(..., "--tenant", help="The tenant whose data keys are destroyed"),
    yes: bool = typer.Option(False, "--yes", help="Confirm: the tenant's bodies become unreadable forever"),
) -> None:
    """Crypto-shred a tenant: destroy its data keys. Refused under legal hold."""
    if not yes:
        errors.print("Shredding cannot be undone; repeat with --yes to confirm.")
        raise typer.Exit(2)
    settings = cli_settings()
    database = migrated_database(settings)
    try:
        with database.session() as session:
            key_ids = retention.shred(session, tenant, CLI_ACTOR)
    except BulwarkError as error:
        errors.print(f"[red]{error.message}[/red]")
        raise typer.Exit(1) from None
    console.print(f"Shredded {len(key_ids)} data key(s) of tenant {tenant}.")
    _sign(settings, database)


@audit_app.command("rotate-kek")
def rotate() -> None:
    """Rewrap every data key under the current key-encryption key; records are not touched."""
    settings = cli_settings()
    database = migrated_database(settings)
    result = rotate_kek(database, key_provider(settings), CLI_ACTOR)
    old = ", ".join(result.old_kek_ids) or "none"
    console.print(
        f"KEK {old} -> {result.new_kek_id}: {result.keys_rewrapped} data key(s) rewrapped. "
        f"No data key is wrapped under {old} any more."
    )
    _sign(settings, database)


@audit_app.command("hold")
def hold(
    tenant: str = typer.Option(..., "--tenant"),
    release: bool = typer.Option(False, "--release", help="Lift the hold instead of placing it"),
) -> None:
    """Place (or lift) a legal hold: no purge and no shred for the tenant while it stands."""
    settings = cli_settings()
    database = migrated_database(settings)
    with database.session() as session:
        retention.set_legal_hold(session, tenant, not release, CLI_ACTOR)
    console.print(f"Legal hold {'lifted' if release else 'placed'} for tenant {tenant}.")
    _sign(settings, database)


@audit_app.command("retention")
def set_retention(
    tenant: str = typer.Option(..., "--tenant"),
    days: int | None = typer.Option(None, "--days", help="Keep bodies this many days (omit: the default)"),
) -> None:
    """Set a tenant's body retention."""
    settings = cli_settings()
    database = migrated_database(settings)
    with database.session() as session:
        retention.set_retention(session, tenant, days, CLI_ACTOR)
    console.print(f"Retention for {tenant}: {days if days is not None else 'default'} days.")
    _sign(settings, database)


@audit_app.command("checkpoint")
def checkpoint() -> None:
    """Sign a checkpoint of the chain head now (the gateway also does this on its own cadence)."""
    settings = cli_settings()
    _sign(settings, migrated_database(settings))
