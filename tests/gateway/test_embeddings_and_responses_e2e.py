"""/v1/embeddings and /v1/responses with the official openai SDK, through the real gateway and the real
engine (SmolLM2 and all-MiniLM-L6-v2), with the recording proxy between them (tests/gateway/pii) so the
tests see exactly what the engine received. One gateway for the module: each test uses its own key."""

from __future__ import annotations

import base64
import re
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openai
import pytest
from sqlalchemy import select

from gateway.audit.models import AuditRecord
from tests.gateway.pii.recording_proxy import RecordingProxy
from tests.servers import DEFAULT_MODEL, RunningGateway, free_port, running_gateway, serve_in_thread

pytestmark = pytest.mark.slow
EMBEDDING_MODEL = "all-minilm-l6-v2"
POLICIES = Path(__file__).resolve().parents[1] / "data" / "embeddings" / "policies"
SENTENCES = ["The weather is lovely today.", "It's so sunny outside!", "He drove to the stadium."]
NAME, SSN = "Maria Garcia", "219-09-9999"
TOKEN = re.compile(r"<[A-Z_]+_[0-9a-f]{6}>")


@pytest.fixture(scope="module")
def proxy(engine_url: str) -> Iterator[RecordingProxy]:
    recording = RecordingProxy(engine_url)
    port = free_port()
    with serve_in_thread(recording.app, port):
        recording.url = f"http://127.0.0.1:{port}"
        yield recording


@pytest.fixture(scope="module")
def rag_gateway(tmp_path_factory: pytest.TempPathFactory, proxy: RecordingProxy) -> Iterator[RunningGateway]:
    home = tmp_path_factory.mktemp("embeddings") / "home"
    with running_gateway(home, proxy.url, policy_dir=POLICIES) as running:
        yield running


def _client(gateway: RunningGateway, tenant: str = "rag") -> tuple[openai.OpenAI, str]:
    key = gateway.create_key(tenant)
    return openai.OpenAI(base_url=f"{gateway.base_url}/v1", api_key=key, max_retries=0), key.split("_")[1]


def _audit_rows(gateway: RunningGateway, key_id: str) -> list[AuditRecord]:
    with gateway.database.session() as session:
        query = select(AuditRecord).where(AuditRecord.event_type == "request", AuditRecord.key_id == key_id)
        return list(session.scalars(query))


def test_a_batch_of_three_comes_back_as_384_dimension_vectors_with_usage_and_an_audit_record(
    rag_gateway: RunningGateway,
) -> None:
    client, key_id = _client(rag_gateway)
    floats = client.embeddings.create(model=EMBEDDING_MODEL, input=SENTENCES, encoding_format="float")
    assert [len(d.embedding) for d in floats.data] == [384, 384, 384]
    assert floats.usage.prompt_tokens == floats.usage.total_tokens == 25
    # The SDK's default asks for base64 and decodes it; the raw answer is packed little-endian float32.
    decoded = client.embeddings.create(model=EMBEDDING_MODEL, input=SENTENCES)
    raw = client.embeddings.with_raw_response.create(
        model=EMBEDDING_MODEL, input=SENTENCES, encoding_format="base64"
    )
    packed = raw.http_response.json()["data"][2]["embedding"]
    assert list(struct.unpack("<384f", base64.b64decode(packed))) == pytest.approx(
        floats.data[2].embedding, abs=1e-6
    )
    assert decoded.data[1].embedding == pytest.approx(floats.data[1].embedding, abs=1e-6)
    rows = _audit_rows(rag_gateway, key_id)
    assert len(rows) == 3
    assert {(r.endpoint, r.model, r.outcome, r.prompt_tokens) for r in rows} == {
        ("embeddings", EMBEDDING_MODEL, "ok", 25)
    }
    assert (
        rows[0].stages[:2] == ["authenticate", "audit"]
        and "redact" in rows[0].stages
        and "forward" in rows[0].stages
    )


def test_personal_data_in_an_embedding_input_never_reaches_the_engine(
    rag_gateway: RunningGateway, proxy: RecordingProxy
) -> None:
    client, key_id = _client(rag_gateway)
    texts = [f"Patient {NAME}, SSN {SSN}, was admitted with chest pain.", "Discharge summary follows."]
    before = len(proxy.bodies_sent_to("/v1/embeddings"))
    reply = client.embeddings.create(model=EMBEDDING_MODEL, input=texts)
    assert len(reply.data) == 2
    sent = proxy.bodies_sent_to("/v1/embeddings")[before:]
    assert len(sent) == 1
    assert not any(secret in str(sent[0]) for secret in (NAME, "Garcia", SSN, "09-9999"))
    assert len(TOKEN.findall(sent[0]["input"][0])) == 2
    assert sent[0]["input"][1] == texts[1]
    assert "max_tokens" not in sent[0] and "cache_salt" not in sent[0]  # no completion cap, no prefix cache
    [row] = _audit_rows(rag_gateway, key_id)
    assert {"PERSON", "US_SSN"} <= set(row.pii_counts)


def test_the_model_allow_list_and_bad_fields_are_enforced(rag_gateway: RunningGateway) -> None:
    chat_only, _ = _client(rag_gateway, "chat-only")
    with pytest.raises(openai.PermissionDeniedError) as refused:
        chat_only.embeddings.create(model=EMBEDDING_MODEL, input="hello")
    assert refused.value.code == "model_not_allowed"
    assert EMBEDDING_MODEL not in [m.id for m in chat_only.models.list()]
    client, _ = _client(rag_gateway)
    assert EMBEDDING_MODEL in [m.id for m in client.models.list()]
    for fields, param in (
        ({"dimensions": 128}, "dimensions"),  # refused by the engine, passed through
        ({"input": [[101, 7592, 102]]}, "input"),  # token ids cannot be screened for PII
        ({"user": "someone"}, "user"),
    ):
        with pytest.raises(openai.BadRequestError) as bad:
            client.embeddings.create(**({"model": EMBEDDING_MODEL, "input": "hello"} | fields))
        assert bad.value.param == param


def test_embedding_tokens_count_against_the_tenant_budget(rag_gateway: RunningGateway) -> None:
    client, _ = _client(rag_gateway, "rag-budget")
    client.embeddings.create(model=EMBEDDING_MODEL, input=SENTENCES)  # 25 tokens, over the budget of 20
    with pytest.raises(openai.RateLimitError) as refused:
        client.embeddings.create(model=EMBEDDING_MODEL, input="one more")
    assert refused.value.code == "budget_exhausted"


def test_responses_create_answers_with_text(rag_gateway: RunningGateway, proxy: RecordingProxy) -> None:
    client, key_id = _client(rag_gateway)
    response = client.responses.create(
        model=DEFAULT_MODEL,
        instructions="Answer in one short sentence.",
        input="What is the capital of France?",
        max_output_tokens=24,
        temperature=0,
    )
    assert response.object == "response" and response.status in ("completed", "incomplete")
    assert "Paris" in response.output_text
    assert response.usage is not None and response.usage.output_tokens > 0
    sent = proxy.bodies_sent_to("/v1/chat/completions")[-1]
    assert sent["messages"][0] == {"role": "system", "content": "Answer in one short sentence."}
    [row] = _audit_rows(rag_gateway, key_id)
    assert (row.endpoint, row.outcome, row.completion_tokens) == (
        "responses",
        "ok",
        response.usage.output_tokens,
    )


def test_responses_stream_sends_the_event_sequence(rag_gateway: RunningGateway) -> None:
    client, key_id = _client(rag_gateway)
    events: list[Any] = list(
        client.responses.create(
            model=DEFAULT_MODEL,
            input="What is the capital of France?",
            max_output_tokens=24,
            temperature=0,
            stream=True,
        )
    )
    kinds = [event.type for event in events]
    assert kinds[:2] == ["response.created", "response.in_progress"]
    assert kinds.count("response.output_text.delta") > 2
    assert kinds[-1] in ("response.completed", "response.incomplete")
    text = "".join(event.delta for event in events if event.type == "response.output_text.delta")
    assert "Paris" in text
    [done] = [event for event in events if event.type == "response.output_text.done"]
    assert done.text == text == events[-1].response.output_text
    assert events[-1].response.usage.output_tokens > 0
    [row] = _audit_rows(rag_gateway, key_id)
    assert row.outcome == "ok" and (row.completion_tokens or 0) > 0


def test_responses_fields_that_are_not_served_are_refused_by_name(rag_gateway: RunningGateway) -> None:
    client, _ = _client(rag_gateway)
    with pytest.raises(openai.BadRequestError) as refused:
        client.responses.create(model=DEFAULT_MODEL, input="Hi", previous_response_id="resp_123")
    assert refused.value.param == "previous_response_id"
    with pytest.raises(openai.BadRequestError) as hosted:
        client.responses.create(model=DEFAULT_MODEL, input="Hi", tools=[{"type": "web_search"}])
    assert hosted.value.param == "tools[0].type"
    capped, _ = _client(rag_gateway, "chat-only")
    with pytest.raises(openai.BadRequestError) as over_cap:
        capped.responses.create(model=DEFAULT_MODEL, input="Hi", max_output_tokens=100)
    assert (over_cap.value.code, over_cap.value.param) == ("max_tokens_exceeded", "max_output_tokens")


def test_a_function_call_round_trip_reaches_the_engine_as_chat_tool_messages_redacted(
    rag_gateway: RunningGateway, proxy: RecordingProxy
) -> None:
    client, _ = _client(rag_gateway)
    tool = {"type": "function", "name": "find_patient", "parameters": {"type": "object", "properties": {}}}
    response = client.responses.create(
        model=DEFAULT_MODEL,
        tools=[tool],  # type: ignore[list-item]
        input=[
            {"role": "user", "content": "Who is in bed 4?"},
            {"type": "function_call", "call_id": "call_1", "name": "find_patient", "arguments": "{}"},
            {"type": "function_call_output", "call_id": "call_1", "output": f"{NAME}, SSN {SSN}"},
        ],
        max_output_tokens=8,
        temperature=0,
    )
    assert response.status in ("completed", "incomplete") and response.usage is not None
    sent = proxy.bodies_sent_to("/v1/chat/completions")[-1]
    _user, assistant, tool_message = sent["messages"]
    assert assistant["tool_calls"][0]["id"] == "call_1"
    assert tool_message["role"] == "tool" and tool_message["tool_call_id"] == "call_1"
    assert NAME not in str(sent) and SSN not in str(sent)
