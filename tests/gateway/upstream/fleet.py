"""A small site on loopback for the pool tests and the routing bench: engine processes (the real SmolLM2
engine), a pool file, tenant policies and keys."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx

from gateway.audit.components import AuditLedger
from gateway.cli.engine_process import EngineProcess
from gateway.db import migrate
from gateway.db.session import Database
from gateway.settings import Settings
from gateway.tenants import service as tenant_service
from tests.servers import DEFAULT_MODEL, MODEL_CACHE, REPO, free_port, wait_until_serving

ENGINE_ARGS = ("--kv-cache-gb", "0.25", "--max-model-len", "2048")
POLICY = """tenant: {tenant}
name: {tenant} (pool tests)
upstream: {pool}
models:
  allowed: [smollm2-135m-instruct]
pii:
  entities:
    LOCATION: {{request: allow, response: allow}}
"""


class Engine:
    """One engine replica on a fixed port, so it can be killed and restarted at the same URL."""

    def __init__(self, logs: Path, index: int) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._log = logs / f"engine-{index}.log"
        self.process = self._new_process()

    def _new_process(self) -> EngineProcess:
        return EngineProcess(
            model=DEFAULT_MODEL,
            host="127.0.0.1",
            port=self.port,
            model_cache=MODEL_CACHE,
            extra_args=ENGINE_ARGS,
            # Three engines share this machine's cores: one thread each instead of each taking them all.
            env={"OMP_NUM_THREADS": "1"},
        )

    def start(self) -> None:
        self.process.start(self._log)

    def kill(self) -> None:
        """SIGKILL, as a crashed host would: no graceful drain."""
        pid = self.process._process.pid if self.process._process else None
        assert pid is not None
        os.killpg(pid, signal.SIGKILL)
        self.process._process.wait()  # type: ignore[union-attr]
        self.process = self._new_process()

    def stop(self) -> None:
        self.process.stop()

    def cached_prompt_tokens(self) -> float:
        """The engine's own count of prompt tokens served from its prefix cache."""
        text = httpx.get(f"{self.url}/metrics", timeout=10).text
        match = re.search(r"^bulwark_engine_prefix_cache_hits_total (\S+)$", text, re.MULTILINE)
        return float(match.group(1)) if match else 0.0


@contextmanager
def running_engines(logs: Path, count: int) -> Iterator[list[Engine]]:
    engines = [Engine(logs, index) for index in range(count)]
    with ExitStack() as stack:
        for engine in engines:
            engine.start()
            stack.callback(engine.stop)
        for engine in engines:
            engine.process.wait_ready(timeout_s=600)
        yield engines


def write_pool_file(path: Path, pools: dict[str, list[str]], **routing: object) -> Path:
    lines = ["pools:"]
    for name, urls in pools.items():
        lines.append(f"  {name}: [{', '.join('{url: ' + url + '}' for url in urls)}]")
    if routing:
        lines.append("routing: {" + ", ".join(f"{key}: {value}" for key, value in routing.items()) + "}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_policies(folder: Path, tenants: dict[str, str]) -> Path:
    """A policy directory: ``tenants`` maps tenant id to the pool its policy names."""
    (folder / "tenants").mkdir(parents=True)
    for tenant, pool in tenants.items():
        (folder / "tenants" / f"{tenant}.yaml").write_text(
            POLICY.format(tenant=tenant, pool=pool), encoding="utf-8"
        )
    return folder


def prepare_site(settings: Settings, tenants: list[str]) -> dict[str, str]:
    """Migrate, create the shared dev key material once (so replicas started together never race to
    generate a KEK each), and issue one API key per tenant."""
    migrate.upgrade(settings.resolved_database_url)
    database = Database(settings.resolved_database_url)
    try:
        AuditLedger(settings, database).close()
        with database.session() as session:
            return {
                tenant: tenant_service.create_key(session, settings.secret("key_pepper"), tenant).key
                for tenant in tenants
            }
    finally:
        database.dispose()


@contextmanager
def gateway_processes(home: Path, logs: Path, count: int, **env: str) -> Iterator[list[str]]:
    """``count`` gateways (``bulwark serve``) sharing ``home``, started together; a loaded 2-core machine
    needs minutes for the imports (Presidio, spaCy, torch), hence the long wait."""
    variables = {**os.environ, "BULWARK_HOME": str(home), "BULWARK_DEV_MODE": "1"}
    variables.update({f"BULWARK_{name.upper()}": value for name, value in env.items()})
    ports = [free_port() for _ in range(count)]
    processes = []
    try:
        for index, port in enumerate(ports):
            with (logs / f"gateway-{index}.log").open("ab") as output:
                command = [sys.executable, "-m", "gateway.cli.main", "serve", "--port", str(port)]
                processes.append(
                    subprocess.Popen(
                        command, cwd=REPO, env=variables, stdout=output, stderr=subprocess.STDOUT
                    )
                )
        urls = [f"http://127.0.0.1:{port}" for port in ports]
        for url, process in zip(urls, processes, strict=True):
            wait_until_serving(url, process, timeout_s=600)
        yield urls
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
