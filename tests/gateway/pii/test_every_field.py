"""Every field that reaches the upstream or the ledger is screened: the real gateway in front of a
scripted upstream (see scripted_upstream.py for why it is scripted) that records what it receives."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from gateway.audit.models import AuditRecord
from gateway.audit.repository import read_body
from tests.gateway.pii.scripted_upstream import NAME, SSN, ScriptedUpstream
from tests.servers import DEFAULT_MODEL, RunningGateway, free_port, running_gateway, serve_in_thread

pytestmark = pytest.mark.slow
POLICIES = Path(__file__).resolve().parents[2] / "data" / "pii" / "policies"
SECRETS = (SSN, NAME, "Garcia", "9999")
SEEDED = f"{NAME} (SSN {SSN})"


@pytest.fixture(scope="module")
def upstream() -> Iterator[ScriptedUpstream]:
    scripted = ScriptedUpstream()
    port = free_port()
    with serve_in_thread(scripted.app, port):
        scripted.url = f"http://127.0.0.1:{port}"
        yield scripted


@pytest.fixture(scope="module")
def pii_gateway(
    tmp_path_factory: pytest.TempPathFactory, upstream: ScriptedUpstream
) -> Iterator[RunningGateway]:
    home = tmp_path_factory.mktemp("every-field")
    with running_gateway(home, upstream.url, policy_dir=POLICIES) as running:
        yield running


def chat_request() -> dict[str, Any]:
    schema = {"type": "object", "properties": {"ssn": {"type": "string", "description": f"e.g. {SSN}"}}}
    return {
        "messages": [
            {"role": "system", "content": f"You help {SEEDED}."},
            {"role": "user", "name": "Maria", "content": [{"type": "text", "text": f"I am {SEEDED}."}]},
            {
                "role": "assistant",
                "tool_calls": [
                    {
                        "id": "call_0",
                        "type": "function",
                        "function": {"name": "lookup", "arguments": json.dumps({"who": NAME, "ssn": SSN})},
                    }
                ],
            },
            {"role": "tool", "tool_call_id": "call_0", "content": f"Found {SEEDED}."},
        ],
        "user": NAME,
        "stop": [f"SSN {SSN}", NAME],
        "tools": [
            {
                "type": "function",
                "function": {"name": "lookup", "description": f"Looks up {SEEDED}.", "parameters": schema},
            }
        ],
        "response_format": {
            "type": "json_schema",
            "json_schema": {"name": "answer", "description": f"About {SEEDED}.", "schema": schema},
        },
    }


def completion_request() -> dict[str, Any]:
    return {"prompt": f"Note for {SEEDED}:", "suffix": f" Signed, {NAME}.", "stop": [SSN], "user": NAME}


def post(gateway: RunningGateway, key: str, path: str, body: dict[str, Any]) -> httpx.Response:
    return httpx.post(
        f"{gateway.base_url}/v1/{path}",
        json={"model": DEFAULT_MODEL, **body},
        headers={"authorization": f"Bearer {key}"},
        timeout=60,
    )


def stream(gateway: RunningGateway, key: str, path: str, body: dict[str, Any]) -> list[dict[str, Any]]:
    chunks = []
    with httpx.stream(
        "POST",
        f"{gateway.base_url}/v1/{path}",
        json={"model": DEFAULT_MODEL, "stream": True, **body},
        headers={"authorization": f"Bearer {key}"},
        timeout=60,
    ) as response:
        assert response.status_code == 200, response.read()
        chunks = [json.loads(line[6:]) for line in response.iter_lines() if line.startswith("data: {")]
    return chunks


def client_text(replies: list[dict[str, Any]]) -> str:
    """What the client got, in the order the audit body keeps it: text, content, refusal, tool calls."""
    pieces: list[str] = []
    for reply in replies:
        for choice in reply.get("choices", []):
            pieces.append(choice.get("text") or "")
            message = choice.get("message") or choice.get("delta") or {}
            pieces += [message.get("content") or "", message.get("refusal") or ""]
            for call in message.get("tool_calls") or []:
                pieces += [call["function"].get("name") or "", call["function"].get("arguments") or ""]
    return "".join(pieces)


def last_audit_body(gateway: RunningGateway, tenant: str) -> tuple[AuditRecord, dict[str, Any]]:
    keyring = gateway.services.audit_writer.keyring
    assert keyring is not None
    with gateway.database.session() as session:
        record = session.scalars(
            select(AuditRecord).where(AuditRecord.tenant_id == tenant).order_by(AuditRecord.seq.desc())
        ).first()
        assert record is not None
        return record, read_body(session, keyring, tenant, record.seq)


def assert_clean(value: object) -> None:
    text = json.dumps(value)
    assert not any(secret in text for secret in SECRETS), text


@pytest.mark.parametrize("path", ["chat/completions", "completions"])
def test_no_request_field_reaches_the_upstream_and_no_response_field_the_client(
    pii_gateway: RunningGateway, upstream: ScriptedUpstream, path: str
) -> None:
    key = pii_gateway.create_key("pii-fields")
    body = chat_request() if path == "chat/completions" else completion_request()
    reply = post(pii_gateway, key, path, {**body, "logprobs": True if path == "chat/completions" else 2})
    assert reply.status_code == 200, reply.text
    assert_clean(upstream.received[-1])
    assert_clean(reply.json())
    logprobs = reply.json()["choices"][0]["logprobs"]
    tokens = [e["token"] for e in logprobs["content"]] if "content" in logprobs else logprobs["tokens"]
    assert "<US_SSN>" in "".join(tokens)  # the tokens were rewritten, not dropped
    record, stored = last_audit_body(pii_gateway, "pii-fields")
    assert stored["completion"] == client_text([reply.json()])
    assert stored["request"] == upstream.received[-1] and record.pii_counts["US_SSN"] >= 1


@pytest.mark.parametrize("path", ["chat/completions", "completions"])
def test_streamed_fields_are_screened_and_the_audit_body_is_what_was_streamed(
    pii_gateway: RunningGateway, upstream: ScriptedUpstream, path: str
) -> None:
    key = pii_gateway.create_key("pii-fields")
    body = chat_request() if path == "chat/completions" else completion_request()
    chunks = stream(pii_gateway, key, path, body)
    assert_clean(upstream.received[-1])
    assert_clean(chunks)
    received = client_text(chunks)
    assert "<US_SSN>" in received
    if path == "chat/completions":
        assert "<PERSON>" in received and "notify" in received  # tool-call name and refusal screened
    _, stored = last_audit_body(pii_gateway, "pii-fields")
    assert stored["completion"] == received


def test_image_parts_and_streamed_logprobs_are_refused_before_the_upstream(
    pii_gateway: RunningGateway, upstream: ScriptedUpstream
) -> None:
    key = pii_gateway.create_key("pii-fields")
    before = len(upstream.received)
    image = {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}}
    refused = post(pii_gateway, key, "chat/completions", {"messages": [{"role": "user", "content": [image]}]})
    assert refused.status_code == 400
    streamed = {"messages": [{"role": "user", "content": "hi"}], "stream": True, "logprobs": True}
    refused_logprobs = post(pii_gateway, key, "chat/completions", streamed)
    assert refused_logprobs.status_code == 400
    assert refused_logprobs.json()["error"]["param"] == "logprobs"
    assert len(upstream.received) == before


def test_shadow_tenant_is_forwarded_unchanged_and_its_findings_are_counted(
    pii_gateway: RunningGateway, upstream: ScriptedUpstream
) -> None:
    key = pii_gateway.create_key("pii-shadow")
    body = {"messages": [{"role": "user", "content": f"I am {SEEDED}."}], "user": NAME}
    reply = post(pii_gateway, key, "chat/completions", body)
    assert reply.status_code == 200, reply.text
    sent = upstream.received[-1]
    assert sent["messages"] == body["messages"] and sent["user"] == NAME
    assert SSN in reply.json()["choices"][0]["message"]["content"]  # the answer is not changed either
    record, _ = last_audit_body(pii_gateway, "pii-shadow")
    assert record.pii_counts["US_SSN"] == 1 and record.pii_counts["US_SSN:shadow"] == 1
    assert record.pii_counts["PERSON:shadow"] >= 2
