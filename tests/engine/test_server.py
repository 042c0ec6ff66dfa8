"""The engine's OpenAI surface, driven by the official openai SDK against a real server."""

from __future__ import annotations

import httpx
import openai
import pytest
from openai.types.chat import ChatCompletionMessageParam

from tests.engine.conftest import RunningEngine

pytestmark = pytest.mark.slow
MODEL = "smollm2-135m-instruct"
FRANCE: list[ChatCompletionMessageParam] = [{"role": "user", "content": "What is the capital of France?"}]


@pytest.fixture
def client(running_engine: RunningEngine) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{running_engine.base_url}/v1", api_key="unused", max_retries=0)


def test_chat_completion_answers_with_usage(client: openai.OpenAI) -> None:
    reply = client.chat.completions.create(
        model=MODEL,
        messages=FRANCE,
        temperature=0,
        max_tokens=20,
    )
    assert "Paris" in (reply.choices[0].message.content or "")
    assert reply.choices[0].finish_reason == "stop"
    assert reply.usage is not None
    assert reply.usage.prompt_tokens > 10
    assert 0 < reply.usage.completion_tokens <= 20
    assert reply.usage.prompt_tokens_details is not None


def test_chat_stream_matches_non_stream_and_ends_with_usage(client: openai.OpenAI) -> None:
    stream = client.chat.completions.create(
        model=MODEL,
        messages=FRANCE,
        temperature=0,
        max_tokens=20,
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert "Paris" in text
    assert chunks[-1].choices == []
    assert chunks[-1].usage is not None
    assert chunks[-1].usage.completion_tokens > 0
    assert [c.choices[0].finish_reason for c in chunks if c.choices][-1] == "stop"


def test_completion_respects_max_tokens_and_stop(client: openai.OpenAI) -> None:
    reply = client.completions.create(
        model=MODEL,
        prompt="1, 2, 3, 4,",
        max_tokens=8,
        temperature=0,
        extra_body={"ignore_eos": True},
    )
    assert reply.choices[0].finish_reason == "length"
    assert reply.usage is not None
    assert reply.usage.completion_tokens == 8
    stopped = client.completions.create(
        model=MODEL, prompt="1, 2, 3, 4,", max_tokens=20, temperature=0, stop=[" 7"]
    )
    assert stopped.choices[0].finish_reason == "stop"
    assert " 7" not in stopped.choices[0].text
    assert " 6" in stopped.choices[0].text


def test_completion_stream(client: openai.OpenAI) -> None:
    stream = client.completions.create(
        model=MODEL, prompt="The capital of France is", max_tokens=6, temperature=0, stream=True
    )
    text = "".join(c.choices[0].text for c in stream if c.choices)
    assert "Paris" in text


def test_models_list(client: openai.OpenAI) -> None:
    assert [m.id for m in client.models.list()] == [MODEL, "all-minilm-l6-v2"]


def test_unknown_model_is_404(client: openai.OpenAI) -> None:
    with pytest.raises(openai.NotFoundError) as caught:
        client.chat.completions.create(model="gpt-9", messages=FRANCE)
    assert caught.value.code == "model_not_found"


@pytest.mark.parametrize(
    "body",
    [
        {"model": MODEL, "messages": FRANCE, "max_tokens": 0},
        {"model": MODEL, "messages": FRANCE, "max_tokens": "ten"},
        {"model": MODEL, "messages": "hello"},
        {"model": MODEL, "messages": FRANCE, "n": 2},
        {"model": MODEL, "messages": FRANCE, "cache_salt": 7},
        {"model": MODEL, "messages": FRANCE, "max_tokens": 9000},
    ],
)
def test_bad_input_is_openai_style_400(running_engine: RunningEngine, body: object) -> None:
    response = httpx.post(f"{running_engine.base_url}/v1/chat/completions", json=body)
    assert response.status_code == 400
    error = response.json()["error"]
    assert set(error) == {"message", "type", "param", "code"}
    assert error["type"] == "invalid_request_error"


def test_empty_prompt_is_400(running_engine: RunningEngine) -> None:
    body = {"model": MODEL, "prompt": "", "max_tokens": 4}
    response = httpx.post(f"{running_engine.base_url}/v1/completions", json=body)
    assert response.status_code == 400
    assert response.json()["error"]["param"] == "prompt"


def test_malformed_json_is_400(running_engine: RunningEngine) -> None:
    response = httpx.post(
        f"{running_engine.base_url}/v1/completions",
        content=b"{not json",
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 400
    assert "JSON" in response.json()["error"]["message"]


def test_health_and_metrics(running_engine: RunningEngine) -> None:
    assert httpx.get(f"{running_engine.base_url}/health").json() == {"status": "ok"}
    metrics = httpx.get(f"{running_engine.base_url}/metrics").text
    for name in (
        "requests_running",
        "requests_waiting",
        "requests_in_flight",
        "kv_cache_usage_ratio",
        "prefix_cache_queries",
        "prefix_cache_hits",
        "time_to_first_token_seconds",
        "inter_token_latency_seconds",
        "preemptions",
    ):
        assert f"bulwark_engine_{name}" in metrics
