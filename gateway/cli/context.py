"""What CLI commands share: settings, the migrated database, a console that never prints secrets twice."""

from __future__ import annotations

import sys

import typer
from rich.console import Console

from gateway.db import migrate
from gateway.db.session import Database
from gateway.settings import Settings, SettingsError, load_settings

console = Console()
errors = Console(stderr=True)


def cli_settings(**overrides: object) -> Settings:
    try:
        return load_settings(**overrides)
    except SettingsError as error:
        errors.print(f"[red]Refusing to start:[/red] {error}")
        raise typer.Exit(2) from None


def migrated_database(settings: Settings) -> Database:
    database = Database(settings.resolved_database_url)
    migrate.upgrade(database.url)
    return database


def python_module_command(module: str, *args: str) -> list[str]:
    return [sys.executable, "-m", module, *args]
