"""Two gateway processes sharing the real Redis admit, together, no more than the tenant's limit."""

from __future__ import annotations

import secrets
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from gateway.db import migrate
from gateway.db.session import Database
from gateway.settings import load_settings
from gateway.tenants import service as tenant_service
from tests.gateway.limits.conftest import REDIS_URL
from tests.gateway.policy.gateway_process import gateway_process
from tests.gateway.policy.policy_files import tenant_yaml, write_policy

TENANT_RPM = 5
REQUESTS = 16


def _prepare(tmp_path: Path, database_url: str) -> tuple[Path, Path, str]:
    home, policies = tmp_path / "home", tmp_path / "policies"
    limits = f"rate_limits:\n  per_tenant: {{requests_per_minute: {TENANT_RPM}}}\n"
    write_policy(policies, "tenants/clinic.yaml", tenant_yaml("clinic", limits))
    # Secrets and schema exist before either replica starts, so the two never race to create them.
    settings = load_settings(home=home, dev_mode=True, database_url=database_url)
    migrate.upgrade(database_url)
    database = Database(database_url)
    with database.session() as session:
        key = tenant_service.create_key(session, settings.secret("key_pepper"), "clinic").key
    database.dispose()
    return home, policies, key


def _ask(base_url: str, key: str) -> int:
    body = {
        "model": "smollm2-135m-instruct",
        "messages": [{"role": "user", "content": "Hi"}],
        "max_tokens": 1,
    }
    response = httpx.post(
        f"{base_url}/v1/chat/completions", json=body, headers={"Authorization": f"Bearer {key}"}, timeout=120
    )
    if response.status_code == 429:
        assert int(response.headers["Retry-After"]) >= 1
    return response.status_code


@pytest.mark.slow
@pytest.mark.redis
@pytest.mark.postgres
def test_two_replicas_together_admit_only_the_tenant_limit(
    tmp_path: Path, postgres_url: str, engine_url: str
) -> None:
    home, policies, key = _prepare(tmp_path, postgres_url)
    env = {
        "database_url": postgres_url,
        "upstream_url": engine_url,
        "policy_dir": str(policies),
        "redis_url": REDIS_URL,
        "redis_prefix": f"bulwark-test:{secrets.token_hex(6)}:",  # this test's counters only
    }
    with (
        gateway_process(home, tmp_path / "a.log", **env) as (first, _),
        gateway_process(home, tmp_path / "b.log", **env) as (second, _),
        ThreadPoolExecutor(max_workers=8) as pool,
    ):
        targets = [first if index % 2 else second for index in range(REQUESTS)]
        statuses = list(pool.map(lambda url: _ask(url, key), targets))
    admitted = [status for status in statuses if status != 429]
    assert len(admitted) == TENANT_RPM, statuses
    assert set(admitted) == {200}, statuses
