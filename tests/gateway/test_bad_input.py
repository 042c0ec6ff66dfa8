"""Bad input gets a clear OpenAI-style 4xx, never a 500, and leaves exactly one audit row."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select

from gateway.audit.models import AuditRecord
from tests.servers import DEFAULT_MODEL, RunningGateway

pytestmark = pytest.mark.slow
MESSAGES = [{"role": "user", "content": "hi"}]

CASES = [
    ("malformed json", b'{"model": "x", "messages": [', 400, "invalid_json"),
    ("wrong type", {"model": DEFAULT_MODEL, "messages": "hello"}, 400, "invalid_value"),
    ("string number", {"model": DEFAULT_MODEL, "messages": MESSAGES, "max_tokens": "5"}, 400, "invalid_value"),
    ("max_tokens zero", {"model": DEFAULT_MODEL, "messages": MESSAGES, "max_tokens": 0}, 400, "invalid_value"),
    ("missing model", {"messages": MESSAGES}, 400, "missing_required_parameter"),
    ("unknown field", {"model": DEFAULT_MODEL, "messages": MESSAGES, "cache_salt": "x"}, 400,
     "unknown_parameter"),
    ("unknown model", {"model": "gpt-9", "messages": MESSAGES}, 404, None),
    ("oversized body", {"model": DEFAULT_MODEL, "messages": [{"role": "user", "content": "x" * 3_000_000}]},
     413, "request_too_large"),
]


@pytest.mark.parametrize(("label", "payload", "status", "code"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_a_clear_4xx_with_one_audit_row(
    gateway: RunningGateway, label: str, payload: object, status: int, code: str | None
) -> None:
    key = gateway.create_key("acme")
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    url = f"{gateway.base_url}/v1/chat/completions"
    if isinstance(payload, bytes):
        response = httpx.post(url, content=payload, headers=headers, timeout=60)
    else:
        response = httpx.post(url, json=payload, headers=headers, timeout=60)
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["message"] and error["type"]
    if code is not None:
        assert error["code"] == code
    with gateway.database.session() as session:
        rows = list(session.scalars(select(AuditRecord).where(AuditRecord.event_type == "request")))
    assert len(rows) == 1
    assert rows[0].status_code == status and rows[0].outcome == "error"
    assert rows[0].request_id == response.headers["x-request-id"]


def test_error_messages_never_echo_the_offending_value(gateway: RunningGateway) -> None:
    key = gateway.create_key("acme")
    secret_value = "SSN 123-45-6789"
    response = httpx.post(
        f"{gateway.base_url}/v1/chat/completions",
        json={"model": DEFAULT_MODEL, "messages": [{"role": secret_value, "content": "x"}]},
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code == 400
    assert secret_value not in response.text
