"""Real servers for tests: the engine as a child process, the gateway under uvicorn in a thread."""

from __future__ import annotations

import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import uvicorn

from gateway.app import create_app
from gateway.db.session import Database
from gateway.services import Services
from gateway.settings import Settings, load_settings
from gateway.tenants import service as tenant_service

REPO = Path(__file__).resolve().parents[1]
MODEL_CACHE = REPO / ".cache" / "models"
DEFAULT_MODEL = "smollm2-135m-instruct"
# Policies for the tenants shared tests use ("acme"); a tenant without a policy is refused.
TEST_POLICY_DIR = REPO / "tests" / "policies"


def wait_until_serving(
    base_url: str, process: subprocess.Popen[bytes], *, timeout_s: float = 300.0, log: Path | None = None
) -> None:
    """Poll a ``bulwark serve`` child's ``/healthz`` until it answers; fail at once if it exits, with the
    tail of its ``log``. Importing Presidio and spaCy takes a minute on a loaded machine."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = log.read_text(errors="replace")[-2000:] if log is not None else ""
            raise RuntimeError(f"gateway at {base_url} exited with {process.returncode}: {tail}")
        try:
            if httpx.get(f"{base_url}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gateway at {base_url} did not start in {timeout_s:.0f} s")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class RunningGateway:
    base_url: str
    settings: Settings
    services: Services

    @property
    def database(self) -> Database:
        return self.services.database

    def create_key(self, tenant: str = "acme", **options: object) -> str:
        with self.database.session() as session:
            issued = tenant_service.create_key(
                session, self.settings.secret("key_pepper"), tenant, **options  # type: ignore[arg-type]
            )
        return issued.key


@contextmanager
def serve_in_thread(app: object, port: int) -> Iterator[None]:
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))  # type: ignore[arg-type]
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("server did not start")
        time.sleep(0.05)
    try:
        yield
    finally:
        server.should_exit = True
        thread.join(timeout=30)


@contextmanager
def running_gateway(home: Path, upstream_url: str, **overrides: object) -> Iterator[RunningGateway]:
    overrides.setdefault("policy_dir", TEST_POLICY_DIR)
    settings = load_settings(home=home, dev_mode=True, upstream_url=upstream_url, **overrides)
    app = create_app(settings)
    port = free_port()
    with serve_in_thread(app, port):
        yield RunningGateway(f"http://127.0.0.1:{port}", settings, app.state.services)
