"""Real processes for the telemetry tests: one engine and gateways, all exporting traces.

The engine exports to the OTLP receiver and to its console (``otlp,console``), so the OTLP test and the
console test share one engine start; each gateway has its own exporter and home.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from gateway.cli.engine_process import EngineProcess
from gateway.db import migrate
from gateway.db.session import Database
from gateway.settings import load_settings
from gateway.tenants import service as tenant_service
from tests.gateway.policy.gateway_process import gateway_process
from tests.gateway.policy.policy_files import write_policy
from tests.gateway.telemetry.otlp_receiver import OtlpReceiver
from tests.servers import DEFAULT_MODEL, MODEL_CACHE, free_port

METRICS_TOKEN = secrets.token_urlsafe(32)
FAST_EXPORT = {"OTEL_BSP_SCHEDULE_DELAY": "100"}  # milliseconds: spans leave within a poll or two
CLINIC = """
tenant: clinic
name: Clinic
models:
  allowed: [smollm2-135m-instruct]
pii:
  entities:
    LOCATION: {request: allow, response: allow}
"""
# One request a minute and no streaming: refusals the metrics test counts by reason.
LIMITED = """
tenant: limited
name: Limited
models:
  allowed: [smollm2-135m-instruct]
allow_streaming: false
rate_limits:
  per_key: {requests_per_minute: 1}
"""


@dataclass
class GatewayUnderTest:
    base_url: str
    home: Path
    log: Path

    def create_key(self, tenant: str) -> tuple[str, str]:
        """A new key for ``tenant``: (the key, its public id)."""
        settings = load_settings(home=self.home, dev_mode=True)
        database = Database(settings.resolved_database_url)
        try:
            with database.session() as session:
                issued = tenant_service.create_key(session, settings.secret("key_pepper"), tenant)
            return issued.key, issued.record.id
        finally:
            database.dispose()

    def chat(self, key: str, content: str, **options: object) -> httpx.Response:
        body = {"model": DEFAULT_MODEL, "messages": [{"role": "user", "content": content}], **options}
        headers = {"Authorization": f"Bearer {key}"}
        return httpx.post(f"{self.base_url}/v1/chat/completions", json=body, headers=headers, timeout=300)


@pytest.fixture(scope="package")
def receiver() -> Iterator[OtlpReceiver]:
    with OtlpReceiver().running() as running:
        yield running


@pytest.fixture(scope="package")
def engine_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("engine") / "engine.log"


@pytest.fixture(scope="package")
def traced_engine(receiver: OtlpReceiver, engine_log: Path) -> Iterator[EngineProcess]:
    """Started, not yet ready: the first gateway boots meanwhile and waits for it (``_gateway``)."""
    environ = {
        "OTEL_TRACES_EXPORTER": "otlp,console",
        "OTEL_EXPORTER_OTLP_ENDPOINT": receiver.endpoint,
        **FAST_EXPORT,
    }
    engine = EngineProcess(
        model=DEFAULT_MODEL, host="127.0.0.1", port=free_port(), model_cache=MODEL_CACHE, env=environ
    )
    engine.start(engine_log)
    try:
        yield engine
    finally:
        engine.stop()


@pytest.fixture(scope="package")
def policy_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("policies")
    write_policy(root, "tenants/clinic.yaml", CLINIC)
    write_policy(root, "tenants/limited.yaml", LIMITED)
    return root


def _gateway(
    root: Path, engine: EngineProcess, policy_dir: Path, environ: dict[str, str]
) -> Iterator[GatewayUnderTest]:
    home, log = root / "home", root / "gateway.log"
    migrate.upgrade(load_settings(home=home, dev_mode=True).resolved_database_url)
    settings = {"policy_dir": str(policy_dir), "upstream_url": engine.url, "metrics_token": METRICS_TOKEN}
    with gateway_process(home, log, environ={**FAST_EXPORT, **environ}, **settings) as (base_url, _):
        engine.wait_ready(timeout_s=600)
        yield GatewayUnderTest(base_url, home, log)


@pytest.fixture(scope="package")
def otlp_gateway(
    tmp_path_factory: pytest.TempPathFactory,
    receiver: OtlpReceiver,
    traced_engine: EngineProcess,
    policy_dir: Path,
) -> Iterator[GatewayUnderTest]:
    environ = {"OTEL_TRACES_EXPORTER": "otlp", "OTEL_EXPORTER_OTLP_ENDPOINT": receiver.endpoint}
    yield from _gateway(tmp_path_factory.mktemp("otlp-gateway"), traced_engine, policy_dir, environ)


@pytest.fixture(scope="package")
def console_gateway(
    tmp_path_factory: pytest.TempPathFactory, traced_engine: EngineProcess, policy_dir: Path
) -> Iterator[GatewayUnderTest]:
    environ = {"OTEL_TRACES_EXPORTER": "console"}
    yield from _gateway(tmp_path_factory.mktemp("console-gateway"), traced_engine, policy_dir, environ)
