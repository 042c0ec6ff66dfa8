"""Tool calls and structured output with the official openai SDK through the real gateway and the real
engine (SmolLM2, CPU): what comes back parses and validates because the engine constrains decoding."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import openai
import pytest
from openai.types.chat import (
    ChatCompletionMessageFunctionToolCall,
    ChatCompletionMessageParam,
    ChatCompletionNamedToolChoiceParam,
    ChatCompletionToolParam,
)
from pydantic import BaseModel, Field

from tests.servers import DEFAULT_MODEL, RunningGateway

pytestmark = pytest.mark.slow
LOOKUP_PARAMS: dict[str, Any] = {
    "type": "object",
    "properties": {
        "ticket": {"type": "integer", "minimum": 1, "maximum": 9999},
        "priority": {"type": "string", "enum": ["low", "high"]},
    },
    "required": ["ticket", "priority"],
    "additionalProperties": False,
}
TOOLS: list[ChatCompletionToolParam] = [
    {"type": "function", "function": {"name": "lookup_ticket", "parameters": LOOKUP_PARAMS}}
]
NAMED: ChatCompletionNamedToolChoiceParam = {"type": "function", "function": {"name": "lookup_ticket"}}
ASK: list[ChatCompletionMessageParam] = [{"role": "user", "content": "Look up ticket 42, it is urgent."}]


class Answer(BaseModel):
    topic: str = Field(max_length=30)
    urgent: bool
    score: int = Field(ge=0, le=10)


def _client(gateway: RunningGateway) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{gateway.base_url}/v1", api_key=gateway.create_key("acme"), max_retries=0)


def test_named_tool_call_validates_streaming_and_not(gateway: RunningGateway) -> None:
    client = _client(gateway)
    reply = client.chat.completions.create(
        model=DEFAULT_MODEL,
        messages=ASK,
        tools=TOOLS,
        tool_choice=NAMED,
        max_tokens=40,
        temperature=0,
    )
    [call] = reply.choices[0].message.tool_calls or []
    assert isinstance(call, ChatCompletionMessageFunctionToolCall)
    assert call.function.name == "lookup_ticket" and reply.choices[0].finish_reason == "tool_calls"
    jsonschema.validate(json.loads(call.function.arguments), LOOKUP_PARAMS)

    stream = client.chat.completions.create(
        model=DEFAULT_MODEL,
        messages=ASK,
        tools=TOOLS,
        tool_choice=NAMED,
        max_tokens=40,
        temperature=0,
        stream=True,
    )
    names, arguments = "", ""
    for chunk in stream:
        for part in (chunk.choices[0].delta.tool_calls or []) if chunk.choices else []:
            names += (part.function and part.function.name) or ""
            arguments += (part.function and part.function.arguments) or ""
    assert names == "lookup_ticket"
    assert json.loads(arguments) == json.loads(call.function.arguments)


def test_parse_with_a_pydantic_model_returns_the_object(gateway: RunningGateway) -> None:
    completion = _client(gateway).chat.completions.parse(
        model=DEFAULT_MODEL,
        messages=[{"role": "user", "content": "Rate this support ticket: the printer is on fire."}],
        response_format=Answer,
        max_tokens=50,
        temperature=0,
    )
    assert isinstance(completion.choices[0].message.parsed, Answer)


def test_tool_round_trip_completes(gateway: RunningGateway) -> None:
    client = _client(gateway)
    first = client.chat.completions.create(
        model=DEFAULT_MODEL,
        messages=ASK,
        tools=TOOLS,
        tool_choice=NAMED,
        max_tokens=40,
        temperature=0,
    )
    [call] = first.choices[0].message.tool_calls or []
    assert isinstance(call, ChatCompletionMessageFunctionToolCall)
    messages: list[ChatCompletionMessageParam] = [
        *ASK,
        {"role": "assistant", "content": None, "tool_calls": [call.model_dump()]},  # type: ignore[list-item]
        {"role": "tool", "tool_call_id": call.id, "content": '{"status": "open", "owner": "ops"}'},
    ]
    second = client.chat.completions.create(
        model=DEFAULT_MODEL, messages=messages, tools=TOOLS, max_tokens=12, temperature=0
    )
    assert second.choices[0].finish_reason in {"stop", "length", "tool_calls"}
    assert second.usage is not None and second.usage.prompt_tokens > (
        first.usage.prompt_tokens if first.usage else 0
    )


@pytest.mark.parametrize(
    ("extra", "param"),
    [
        ({"reasoning_effort": "low"}, "reasoning_effort"),  # passed on; our engine refuses, vLLM may serve
        ({"n": 2}, "n"),
        ({"user": "u-1"}, "user"),
        ({"store": True}, "store"),  # refused by the gateway itself
        ({"metadata": {"k": "v"}}, "metadata"),
    ],
)
def test_unserved_fields_are_400_naming_them(
    gateway: RunningGateway, extra: dict[str, Any], param: str
) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        _client(gateway).chat.completions.create(
            model=DEFAULT_MODEL, messages=ASK, max_tokens=2, extra_body=extra
        )
    assert caught.value.param == param
    assert param in caught.value.message
