"""``bulwark keys``: create (prints the key once), list, revoke. Each act writes an audit record."""

from __future__ import annotations

import typer
from rich.table import Table

from gateway.cli.context import cli_settings, console, errors, migrated_database
from gateway.errors import BulwarkError
from gateway.tenants import repository, service

keys_app = typer.Typer(help="Create, list and revoke API keys.", no_args_is_help=True)
CLI_ACTOR = "cli"


@keys_app.command("create")
def create(
    tenant: str = typer.Option(..., "--tenant", help="Tenant id, e.g. st-mary-hospital"),
    name: str = typer.Option("", "--name", help="A label for the key, e.g. the app using it"),
    expires: str | None = typer.Option(None, "--expires", help="Lifetime such as 90d, 12h, 2w"),
    admin: bool = typer.Option(False, "--admin", help="Also allow the admin API"),
) -> None:
    """Create an API key. The key is printed once and cannot be shown again."""
    settings = cli_settings()
    database = migrated_database(settings)
    scopes = frozenset({"inference", "admin"} if admin else {"inference"})
    try:
        with database.session() as session:
            expires_in = service.parse_duration(expires) if expires else None
            issued = service.create_key(
                session,
                settings.secret("key_pepper"),
                tenant,
                name=name,
                scopes=scopes,
                expires_in=expires_in,
                actor=CLI_ACTOR,
            )
    except BulwarkError as error:
        errors.print(f"[red]{error.message}[/red]")
        raise typer.Exit(1) from None
    console.print(f"Created key [bold]{issued.record.id}[/bold] for tenant [bold]{tenant}[/bold].")
    console.print("Store it now; it will not be shown again:")
    typer.echo(issued.key)


@keys_app.command("list")
def list_keys(tenant: str | None = typer.Option(None, "--tenant")) -> None:
    """List keys (ids and metadata only; secrets are never stored)."""
    database = migrated_database(cli_settings())
    table = Table("id", "tenant", "name", "scopes", "created", "expires", "status")
    with database.session() as session:
        for key in repository.list_keys(session, tenant):
            status = "revoked" if key.revoked_at else "active"
            table.add_row(
                key.id,
                key.tenant_id,
                key.name,
                key.scopes,
                f"{key.created_at:%Y-%m-%d %H:%M}",
                f"{key.expires_at:%Y-%m-%d %H:%M}" if key.expires_at else "never",
                status,
            )
    console.print(table)


@keys_app.command("revoke")
def revoke(key_id: str = typer.Argument(..., help="The key's public id")) -> None:
    """Revoke a key; it is refused from the next request on."""
    database = migrated_database(cli_settings())
    try:
        with database.session() as session:
            service.revoke_key(session, key_id, actor=CLI_ACTOR)
    except BulwarkError as error:
        errors.print(f"[red]{error.message}[/red]")
        raise typer.Exit(1) from None
    console.print(f"Revoked key [bold]{key_id}[/bold].")
