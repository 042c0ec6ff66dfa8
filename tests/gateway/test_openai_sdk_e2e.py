"""The official openai SDK against the real gateway in front of the real engine (SmolLM2, CPU)."""

from __future__ import annotations

from datetime import timedelta

import httpx
import openai
import pytest
from openai.types.chat import ChatCompletionMessageParam
from sqlalchemy import func, select

from gateway.audit.models import AuditRecord
from gateway.db.base import utc_now
from gateway.tenants import repository, service
from tests.servers import DEFAULT_MODEL, RunningGateway

pytestmark = pytest.mark.slow
QUESTION: list[ChatCompletionMessageParam] = [{"role": "user", "content": "What is the capital of France?"}]


def _client(gateway: RunningGateway, key: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{gateway.base_url}/v1", api_key=key, max_retries=0)


def _audit_rows(gateway: RunningGateway) -> list[AuditRecord]:
    with gateway.database.session() as session:
        return list(session.scalars(select(AuditRecord).where(AuditRecord.event_type == "request")))


def test_chat_completion_answers_and_is_audited(gateway: RunningGateway) -> None:
    client = _client(gateway, gateway.create_key("acme"))
    reply = client.chat.completions.create(
        model=DEFAULT_MODEL, messages=QUESTION, max_tokens=24, temperature=0
    )
    assert "Paris" in (reply.choices[0].message.content or "")
    assert reply.usage is not None and reply.usage.completion_tokens > 0
    [row] = _audit_rows(gateway)
    assert (row.tenant_id, row.outcome, row.status_code) == ("acme", "ok", 200)
    assert row.stages[:2] == ["authenticate", "audit"] and "forward" in row.stages
    assert row.completion_tokens == reply.usage.completion_tokens


def test_streamed_chat_completion_arrives_in_chunks(gateway: RunningGateway) -> None:
    client = _client(gateway, gateway.create_key("acme"))
    stream = client.chat.completions.create(
        model=DEFAULT_MODEL, messages=QUESTION, max_tokens=24, temperature=0, stream=True
    )
    pieces = [chunk.choices[0].delta.content or "" for chunk in stream if chunk.choices]
    assert len(pieces) > 2
    assert "Paris" in "".join(pieces)
    [row] = _audit_rows(gateway)
    assert row.outcome == "ok" and (row.completion_tokens or 0) > 0


def test_stream_with_usage_requested_reports_usage(gateway: RunningGateway) -> None:
    client = _client(gateway, gateway.create_key("acme"))
    stream = client.chat.completions.create(
        model=DEFAULT_MODEL,
        messages=QUESTION,
        max_tokens=8,
        stream=True,
        stream_options={"include_usage": True},
    )
    usages = [chunk.usage for chunk in stream if chunk.usage is not None]
    assert usages and usages[-1].completion_tokens > 0


def test_completions_and_models(gateway: RunningGateway) -> None:
    client = _client(gateway, gateway.create_key("acme"))
    completion = client.completions.create(
        model=DEFAULT_MODEL, prompt="The capital of France is", max_tokens=8, temperature=0
    )
    assert completion.choices[0].text.strip()
    streamed = client.completions.create(
        model=DEFAULT_MODEL, prompt="One, two, three,", max_tokens=8, stream=True
    )
    assert "".join(chunk.choices[0].text for chunk in streamed if chunk.choices)
    assert DEFAULT_MODEL in [model.id for model in client.models.list()]


def test_wrong_missing_revoked_and_expired_keys_get_401(gateway: RunningGateway) -> None:
    revoked = gateway.create_key("acme")
    expired = gateway.create_key("acme", expires_in=timedelta(days=1))
    with gateway.database.session() as session:
        for key in (revoked, expired):
            record = repository.get_key(session, key.split("_")[1])
            assert record is not None
            if key == revoked:
                service.revoke_key(session, record.id)
            else:
                record.expires_at = utc_now() - timedelta(minutes=1)
    wrong = gateway.create_key("acme")[:-3] + "zzz"
    for key in (wrong, revoked, expired, "sk-not-a-bulwark-key"):
        with pytest.raises(openai.AuthenticationError) as refused:
            _client(gateway, key).chat.completions.create(model=DEFAULT_MODEL, messages=QUESTION)
        assert refused.value.status_code == 401
        body = refused.value.body
        assert isinstance(body, dict) and body["type"] == "authentication_error"
        assert key not in str(body)
    # The SDK refuses to send without a key, so the missing-key case goes over plain HTTP.
    missing = httpx.get(f"{gateway.base_url}/v1/models", timeout=30)
    assert missing.status_code == 401
    assert missing.json()["error"]["code"] == "missing_api_key"
    with gateway.database.session() as session:
        refused_rows = session.scalar(
            select(func.count()).select_from(AuditRecord).where(AuditRecord.status_code == 401)
        )
    assert refused_rows == 0  # no ledger row per refusal: counted per source, recorded in aggregate
    [window] = gateway.services.auth_failures.closed_events(everything=True)
    assert window.detail is not None and window.detail["count"] == 5
