"""Issue 13 finding 7: an upstream answer is bounded in size (502) and total time (504), each a clear
OpenAI-style error with its audit record; and proxy environment variables never redirect upstream traffic.

The upstream is a real server on loopback that misbehaves on demand (``misbehaving_engine``); the gateway
is the real one.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import select

from gateway.audit.models import AuditRecord
from gateway.upstream.client import EngineClient
from tests.gateway.upstream import misbehaving_engine
from tests.servers import DEFAULT_MODEL, RunningGateway, free_port, running_gateway, serve_in_thread

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def misbehaving_url() -> Iterator[str]:
    port = free_port()
    with serve_in_thread(misbehaving_engine.app, port):
        yield f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def bounded_gateway(
    tmp_path_factory: pytest.TempPathFactory, misbehaving_url: str
) -> Iterator[RunningGateway]:
    home = tmp_path_factory.mktemp("bounds") / "home"
    with running_gateway(
        home, misbehaving_url, upstream_max_response_bytes=16 * 1024, upstream_total_timeout_s=2.0
    ) as running:
        yield running


def ask(gateway: RunningGateway, mode: str, stream: bool = False) -> httpx.Response:
    body = {"model": DEFAULT_MODEL, "messages": [{"role": "user", "content": mode}], "stream": stream}
    headers = {"Authorization": f"Bearer {gateway.create_key('acme')}"}
    return httpx.post(f"{gateway.base_url}/v1/chat/completions", json=body, headers=headers, timeout=30)


def audit_row(gateway: RunningGateway, request_id: str) -> AuditRecord:
    with gateway.database.session() as session:
        return session.scalars(select(AuditRecord).where(AuditRecord.request_id == request_id)).one()


def test_an_oversized_answer_is_a_502_with_its_audit_record(bounded_gateway: RunningGateway) -> None:
    response = ask(bounded_gateway, "huge")
    assert response.status_code == 502, response.text[:200]
    assert response.json()["error"]["code"] == "upstream_response_too_large"
    assert "x" * 100 not in response.text
    row = audit_row(bounded_gateway, response.headers["x-request-id"])
    assert (row.outcome, row.status_code, row.error_code) == ("error", 502, "upstream_response_too_large")


def test_an_oversized_stream_ends_with_an_error_event(bounded_gateway: RunningGateway) -> None:
    response = ask(bounded_gateway, "huge-stream", stream=True)
    assert response.status_code == 200  # headers went out with the first chunk
    assert response.text.count("data: ") < 20
    assert '"code": "upstream_response_too_large"' in response.text
    row = audit_row(bounded_gateway, response.headers["x-request-id"])
    assert (row.outcome, row.status_code, row.error_code) == ("error", 502, "upstream_response_too_large")


def test_an_answer_past_the_total_time_bound_is_a_504(bounded_gateway: RunningGateway) -> None:
    started = time.monotonic()
    response = ask(bounded_gateway, "trickle")
    assert response.status_code == 504, response.text[:200]
    assert time.monotonic() - started < 10
    assert response.json()["error"] == {
        "message": "The inference engine did not answer in time.",
        "type": "server_error",
        "param": None,
        "code": "upstream_timeout",
    }
    row = audit_row(bounded_gateway, response.headers["x-request-id"])
    assert (row.outcome, row.status_code, row.error_code) == ("error", 504, "upstream_timeout")


@pytest.fixture
def counting_proxy() -> Iterator[tuple[str, list[int]]]:
    """A listener that only counts connections: any upstream request sent through a proxy ends here."""
    listener = socket.create_server(("127.0.0.1", 0))
    connections: list[int] = []

    def accept() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            connections.append(1)
            conn.close()

    threading.Thread(target=accept, daemon=True).start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}", connections
    listener.close()


@pytest.mark.anyio
async def test_proxy_environment_variables_are_ignored(
    misbehaving_url: str, counting_proxy: tuple[str, list[int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    proxy_url, connections = counting_proxy
    for name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.setenv(name, proxy_url)
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    client = EngineClient(misbehaving_url, timeout_s=5)
    try:
        answer = await client.post_json(
            "/v1/chat/completions", {"messages": [{"role": "user", "content": "ok"}]}
        )
    finally:
        await client.aclose()
    assert answer["choices"][0]["message"]["content"] == "fine"
    assert connections == []
