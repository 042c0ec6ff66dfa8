"""The ``bulwark`` command. Each domain contributes its sub-commands here."""

from __future__ import annotations

import os
from pathlib import Path

import typer
import uvicorn

from gateway.audit.cli import audit_app
from gateway.auth.cli import users_app
from gateway.benchmark.cli import bench_app
from gateway.cli.context import cli_settings, python_module_command
from gateway.cli.keys import keys_app
from gateway.cli.up import up
from gateway.pii.cli import pii_app
from gateway.policy.cli import policy_app
from gateway.tls import server_tls_options

app = typer.Typer(help="Bulwark: the on-prem LLM gateway.", no_args_is_help=True)
app.command("up")(up)
app.add_typer(keys_app, name="keys")
app.add_typer(users_app, name="users")
app.add_typer(policy_app, name="policy")
app.add_typer(audit_app, name="audit")
app.add_typer(pii_app, name="pii")
app.add_typer(bench_app, name="bench")


@app.command("serve")
def serve(
    host: str = typer.Option("127.0.0.1"),
    port: int = typer.Option(8000),
    ssl_certfile: Path | None = typer.Option(None, help="Serve HTTPS with this certificate (chain)"),
    ssl_keyfile: Path | None = typer.Option(None, help="The certificate's private key"),
) -> None:
    """Run the gateway alone (production: secrets and upstream from BULWARK_* variables)."""
    # Imported here: the app pulls in Presidio and torch, which other commands do not need.
    from gateway.app import create_app

    overrides = {"ssl_certfile": ssl_certfile, "ssl_keyfile": ssl_keyfile}
    settings = cli_settings(**{name: value for name, value in overrides.items() if value is not None})
    tls = server_tls_options(settings)
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info", **tls)


@app.command(
    "engine",
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    add_help_option=False,
)
def engine(ctx: typer.Context) -> None:
    """Run the inference engine: `bulwark engine serve --model smollm2-135m-instruct` (see --help)."""
    command = python_module_command("engine", *ctx.args)
    os.execv(command[0], command)  # noqa: S606 - replaces this process with the engine, fixed argv


if __name__ == "__main__":
    app()
