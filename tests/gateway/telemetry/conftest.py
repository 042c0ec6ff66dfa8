"""Real processes for the telemetry tests: one engine and one gateway, both exporting their spans to the
OTLP receiver and printing them (``OTEL_TRACES_EXPORTER=otlp,console``), shared by the package's tests:
each process start costs tens of seconds on this machine. The engine boots while the gateway does."""

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


def _tracing(receiver: OtlpReceiver) -> dict[str, str]:
    return {
        "OTEL_TRACES_EXPORTER": "otlp,console",
        "OTEL_EXPORTER_OTLP_ENDPOINT": receiver.endpoint,
        "OTEL_BSP_SCHEDULE_DELAY": "100",  # milliseconds: spans leave within a poll or two
    }


@pytest.fixture(scope="package")
def receiver() -> Iterator[OtlpReceiver]:
    with OtlpReceiver().running() as running:
        yield running


@pytest.fixture(scope="package")
def engine_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("engine") / "engine.log"


@pytest.fixture(scope="package")
def traced_engine(receiver: OtlpReceiver, engine_log: Path) -> Iterator[EngineProcess]:
    """Started, not yet ready: the gateway boots meanwhile and waits for it (``traced_gateway``)."""
    engine = EngineProcess(
        model=DEFAULT_MODEL,
        host="127.0.0.1",
        port=free_port(),
        model_cache=MODEL_CACHE,
        env=_tracing(receiver),
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


@pytest.fixture(scope="package")
def traced_gateway(
    tmp_path_factory: pytest.TempPathFactory,
    receiver: OtlpReceiver,
    traced_engine: EngineProcess,
    policy_dir: Path,
) -> Iterator[GatewayUnderTest]:
    root = tmp_path_factory.mktemp("gateway")
    home, log = root / "home", root / "gateway.log"
    migrate.upgrade(load_settings(home=home, dev_mode=True).resolved_database_url)
    settings = {
        "policy_dir": str(policy_dir),
        "upstream_url": traced_engine.url,
        "metrics_token": METRICS_TOKEN,
    }
    with gateway_process(home, log, _tracing(receiver), **settings) as (base_url, _):
        traced_engine.wait_ready(timeout_s=600)
        yield GatewayUnderTest(base_url, home, log)
