"""When the shared counter store is down, a limited tenant's requests are refused (503), never let
through uncounted. Real gateway; Redis "down" is a loopback port nothing listens on."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.gateway.policy.policy_files import tenant_yaml, write_policy
from tests.servers import free_port, running_gateway


def test_unreachable_redis_refuses_limited_requests_with_503(tmp_path: Path) -> None:
    policies = tmp_path / "policies"
    limits = "rate_limits:\n  per_key: {requests_per_minute: 1000}\n"
    write_policy(policies, "tenants/clinic.yaml", tenant_yaml("clinic", limits))
    with running_gateway(
        tmp_path / "home",
        f"http://127.0.0.1:{free_port()}",
        policy_dir=policies,
        redis_url=f"redis://127.0.0.1:{free_port()}/0",
    ) as gateway:
        response = httpx.post(
            f"{gateway.base_url}/v1/chat/completions",
            json={"model": "smollm2-135m-instruct", "messages": [{"role": "user", "content": "hi"}]},
            headers={"Authorization": f"Bearer {gateway.create_key('clinic')}"},
            timeout=30,
        )
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "limits_unavailable"
