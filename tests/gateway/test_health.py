from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.servers import RunningGateway, free_port, running_gateway


@pytest.mark.slow
def test_ready_when_database_and_engine_answer(gateway: RunningGateway) -> None:
    assert httpx.get(f"{gateway.base_url}/healthz").json() == {"status": "ok"}
    ready = httpx.get(f"{gateway.base_url}/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"database": True, "engine": True}


def test_not_ready_without_an_engine_and_requests_fail_with_502(tmp_path: Path) -> None:
    # Nothing listens on this port: the engine is down, the gateway must say so and never hang.
    with running_gateway(tmp_path / "home", f"http://127.0.0.1:{free_port()}") as gateway:
        ready = httpx.get(f"{gateway.base_url}/readyz")
        assert ready.status_code == 503
        assert ready.json()["checks"]["engine"] is False
        key = gateway.create_key("acme")
        response = httpx.get(f"{gateway.base_url}/v1/models", headers={"Authorization": f"Bearer {key}"})
        assert response.status_code == 502
        assert response.json()["error"]["code"] == "upstream_unreachable"


def test_request_id_is_echoed_or_generated(tmp_path: Path) -> None:
    with running_gateway(tmp_path / "home", f"http://127.0.0.1:{free_port()}") as gateway:
        mine = httpx.get(f"{gateway.base_url}/healthz", headers={"x-request-id": "abc-123"})
        assert mine.headers["x-request-id"] == "abc-123"
        injected = httpx.get(f"{gateway.base_url}/healthz", headers={"x-request-id": "a b <script>"})
        assert injected.headers["x-request-id"].startswith("req_")
        unknown = httpx.get(f"{gateway.base_url}/nope")
        assert unknown.status_code == 404
        assert unknown.json()["error"]["type"] == "invalid_request_error"
