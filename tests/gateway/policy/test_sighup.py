"""SIGHUP reloads the policy directory of a running gateway process (file watching switched off)."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import httpx
import pytest

from gateway.db import migrate
from gateway.db.session import Database
from gateway.settings import load_settings
from gateway.tenants import service as tenant_service
from tests.gateway.policy.gateway_process import gateway_process
from tests.gateway.policy.policy_files import tenant_yaml, write_policy
from tests.servers import free_port


def _status(base_url: str, key: str) -> int:
    body = {"model": "smollm2-135m-instruct", "messages": [{"role": "user", "content": "hi"}]}
    headers = {"Authorization": f"Bearer {key}"}
    return httpx.post(f"{base_url}/v1/chat/completions", json=body, headers=headers).status_code


@pytest.mark.slow
def test_sighup_reloads_without_restart(tmp_path: Path) -> None:
    home, policies = tmp_path / "home", tmp_path / "policies"
    path = write_policy(policies, "tenants/clinic.yaml", tenant_yaml("clinic"))
    settings = load_settings(home=home, dev_mode=True)
    migrate.upgrade(settings.resolved_database_url)
    database = Database(settings.resolved_database_url)
    with database.session() as session:
        key = tenant_service.create_key(session, settings.secret("key_pepper"), "clinic").key
    database.dispose()
    upstream = f"http://127.0.0.1:{free_port()}"  # down: an admitted request gets 502, a refused one 403
    env = {"policy_dir": str(policies), "policy_watch": "0", "upstream_url": upstream}
    with gateway_process(home, tmp_path / "gateway.log", **env) as (base_url, process):
        assert _status(base_url, key) == 502
        path.write_text(tenant_yaml("clinic").replace("allowed: [smollm2-135m-instruct]", "allowed: []"))
        time.sleep(1.0)
        assert _status(base_url, key) == 502  # not watching: the edit waits for the signal
        process.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 2.0
        while _status(base_url, key) != 403:
            assert time.monotonic() < deadline, "SIGHUP did not reload within 2 s"
            time.sleep(0.05)
