"""response_format through grammar-constrained decoding: the tiny model's output always parses and
validates, because the sampler masks every token the schema does not allow (real model, real server)."""

from __future__ import annotations

import json
from typing import Any

import httpx
import jsonschema
import openai
import pytest
from openai.types.chat import ChatCompletionMessageParam
from openai.types.shared_params import ResponseFormatJSONSchema

from tests.engine.conftest import RunningEngine

pytestmark = pytest.mark.slow
MODEL = "smollm2-135m-instruct"
ASK: list[ChatCompletionMessageParam] = [{"role": "user", "content": "Describe a cat called Tom."}]
PET_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "maxLength": 12},
        "age": {"type": "integer", "minimum": 0, "maximum": 30},
        "kind": {"type": "string", "enum": ["cat", "dog", "bird"]},
        "indoor": {"type": "boolean"},
    },
    "required": ["name", "age", "kind", "indoor"],
    "additionalProperties": False,
}
PET_FORMAT: ResponseFormatJSONSchema = {
    "type": "json_schema",
    "json_schema": {"name": "pet", "schema": PET_SCHEMA, "strict": True},
}


@pytest.fixture
def client(running_engine: RunningEngine) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{running_engine.base_url}/v1", api_key="unused", max_retries=0)


def test_json_schema_output_validates(client: openai.OpenAI) -> None:
    reply = client.chat.completions.create(
        model=MODEL,
        messages=ASK,
        max_tokens=60,
        temperature=0,
        response_format=PET_FORMAT,
    )
    assert reply.choices[0].finish_reason == "stop"
    jsonschema.validate(json.loads(reply.choices[0].message.content or ""), PET_SCHEMA)


def test_json_schema_holds_when_sampling_hot_and_streaming(client: openai.OpenAI) -> None:
    stream = client.chat.completions.create(
        model=MODEL,
        messages=ASK,
        max_tokens=60,
        temperature=1.5,
        seed=3,
        stream=True,
        response_format=PET_FORMAT,
    )
    text = "".join(c.choices[0].delta.content or "" for c in stream if c.choices)
    jsonschema.validate(json.loads(text), PET_SCHEMA)


def test_json_object_mode_returns_an_object(client: openai.OpenAI) -> None:
    reply = client.chat.completions.create(
        model=MODEL,
        messages=[{"role": "user", "content": "Reply in JSON: a city and its country."}],
        max_tokens=40,
        temperature=0,
        response_format={"type": "json_object"},
    )
    if reply.choices[0].finish_reason == "stop":
        assert isinstance(json.loads(reply.choices[0].message.content or ""), dict)
    else:  # cut by max_tokens: still a prefix of an object, never prose
        assert (reply.choices[0].message.content or "").startswith("{")


def test_free_text_without_response_format_is_prose(client: openai.OpenAI) -> None:
    reply = client.chat.completions.create(model=MODEL, messages=ASK, max_tokens=12, temperature=0)
    assert not (reply.choices[0].message.content or "").startswith("{")


def test_schema_that_cannot_compile_is_400(running_engine: RunningEngine) -> None:
    bad = {"type": "json_schema", "json_schema": {"name": "x", "schema": {"type": "objekt"}}}
    body = {"model": MODEL, "messages": ASK, "response_format": bad}
    response = httpx.post(f"{running_engine.base_url}/v1/chat/completions", json=body)
    assert response.status_code == 400
    assert response.json()["error"]["param"] == "response_format"
