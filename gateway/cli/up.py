"""``bulwark up``: the engine and the gateway together on the embedded defaults, ready to call."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from pathlib import Path

import typer
import uvicorn
from rich.panel import Panel

from gateway.auth.tokens import demo_console_token
from gateway.cli.context import cli_settings, console, errors, migrated_database
from gateway.cli.engine_process import EngineProcess, EngineStartError
from gateway.home import BulwarkHome, write_private_file
from gateway.settings import Settings
from gateway.tenants import service

DEMO_TENANT = "demo"
DEFAULT_MODEL = "smollm2-135m-instruct"


def demo_key(settings: Settings) -> str:
    """The demo tenant's key, created on first run and kept owner-only under BULWARK_HOME."""
    path = BulwarkHome(settings.home).secrets_dir / "demo-api-key"
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    database = migrated_database(settings)
    with database.session() as session:
        issued = service.create_key(
            session, settings.secret("key_pepper"), DEMO_TENANT, name="demo", actor="bulwark up"
        )
    database.dispose()
    write_private_file(path, issued.key)
    return issued.key


def print_welcome(base_url: str, key: str, model: str, console_token: str | None = None) -> None:
    """Print what the README's tour expects: the address, an export line for the key, two snippets."""
    console.print(Panel.fit(f"Bulwark is up at [bold]{base_url}[/bold]", title="Bulwark"))
    typer.echo(f"export BULWARK_API_KEY={key}")
    typer.echo(
        f"\ncurl {base_url}/v1/chat/completions \\\n"
        '  -H "Authorization: Bearer $BULWARK_API_KEY" -H "Content-Type: application/json" \\\n'
        f'  -d \'{{"model": "{model}", "messages": [{{"role": "user", '
        '"content": "What is the capital of France?"}]}\''
    )
    typer.echo(
        "\nfrom openai import OpenAI\n"
        f'client = OpenAI(base_url="{base_url}/v1", api_key="{key}")\n'
        f'reply = client.chat.completions.create(model="{model}", '
        'messages=[{"role": "user", "content": "What is the capital of France?"}])\n'
        "print(reply.choices[0].message.content)"
    )
    if console_token is not None:
        typer.echo(
            f"\nCompliance console: {base_url}/console (sign in with this token, valid 8h;"
            " more with `bulwark users token --role auditor`):"
        )
        typer.echo(console_token)
    typer.echo("\nPress Ctrl-C to stop.")


def _when_started(server: uvicorn.Server, announce: Callable[[], None]) -> None:
    while not server.started:
        if server.should_exit:
            return
        time.sleep(0.1)
    announce()


def up(
    host: str = typer.Option("127.0.0.1", help="Gateway address"),
    port: int = typer.Option(8000, help="Gateway port"),
    engine_port: int = typer.Option(8001, help="Engine port (loopback only)"),
    model: str = typer.Option(DEFAULT_MODEL, help="Model name or local HF folder"),
) -> None:
    """Start engine and gateway on the embedded defaults and print how to call them."""
    settings = cli_settings(dev_mode=True, upstream_url=f"http://127.0.0.1:{engine_port}")
    home = BulwarkHome(settings.home)
    key = demo_key(settings)
    engine = EngineProcess(model=model, host="127.0.0.1", port=engine_port, model_cache=home.models_dir)
    log_path: Path = settings.home / "engine.log"
    console.print(f"Starting the engine ({model}); first start converts the model, log: {log_path}")
    engine.start(log_path)
    try:
        engine.wait_ready()
        console.print("Engine ready; starting the gateway.")
        from gateway.app import create_app  # heavy (Presidio, torch): only the serving path needs it

        server = uvicorn.Server(
            uvicorn.Config(create_app(settings), host=host, port=port, log_level="warning")
        )
        welcome = lambda: print_welcome(  # noqa: E731
            f"http://{host}:{port}", key, model, demo_console_token(settings)
        )
        # Say "up" only once the gateway listens, so a snippet pasted at once never meets a closed port.
        threading.Thread(target=_when_started, args=(server, welcome), daemon=True).start()
        with contextlib.suppress(KeyboardInterrupt):  # uvicorn re-raises Ctrl-C after its clean shutdown
            server.run()
    except EngineStartError as error:
        errors.print(f"[red]The engine did not start:[/red] {error}. See {log_path}.")
        raise typer.Exit(1) from None
    finally:
        engine.stop()
        console.print("Stopped.")
