"""``bulwark users token``: a short-lived console token signed by the local key (embedded default).

A site with its own identity provider issues tokens there instead, and sets BULWARK_JWT_LOCAL_ISSUER=0.
"""

from __future__ import annotations

import typer

from gateway.auth.principal import Role
from gateway.auth.tokens import issue_local_token, local_issuer_enabled
from gateway.cli.context import cli_settings, errors
from gateway.errors import InvalidRequest
from gateway.tenants.service import parse_duration

users_app = typer.Typer(help="Console sign-in for the embedded default.", no_args_is_help=True)
MAX_TTL_HOURS = 12


@users_app.command("token")
def token(
    role: Role = typer.Option(..., "--role", help="admin, compliance_officer or auditor"),
    tenant: list[str] = typer.Option([], "--tenant", help="Limit to this tenant (repeatable); omit for all"),
    subject: str = typer.Option("local-admin", "--subject", help="Who the token names in audit records"),
    ttl: str = typer.Option("1h", "--ttl", help=f"Lifetime, e.g. 30m or 8h (at most {MAX_TTL_HOURS}h)"),
) -> None:
    """Print a console token. Paste it into the sign-in page at /console."""
    settings = cli_settings()
    if not local_issuer_enabled(settings):
        # Signing is harmless; trust is the gateway's decision (dev mode, or BULWARK_JWT_LOCAL_ISSUER=1).
        errors.print("Note: a gateway trusts this token only in dev mode or with BULWARK_JWT_LOCAL_ISSUER=1.")
    try:
        lifetime = parse_duration(ttl)
    except InvalidRequest as error:
        errors.print(f"[red]{error.message}[/red]")
        raise typer.Exit(2) from None
    if lifetime.total_seconds() > MAX_TTL_HOURS * 3600:
        errors.print(f"[red]Console tokens live at most {MAX_TTL_HOURS}h.[/red]")
        raise typer.Exit(2)
    typer.echo(issue_local_token(settings, subject, [role], tenant or None, lifetime))
