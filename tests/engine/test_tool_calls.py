"""Tool calling: tools announced in the prompt, forced calls constrained by grammar so the arguments
validate against the function's schema, calls parsed into OpenAI tool_calls (whole and streamed)."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import jsonschema
import openai
import pytest
from openai.types.chat import ChatCompletionMessageParam, ChatCompletionToolParam

from engine.chat import ChatPlan
from engine.chat_response import message_choice
from engine.completions import Delta
from engine.tool_calls import ToolCallStream, parse_tool_calls
from tests.engine.conftest import RunningEngine

MODEL = "smollm2-135m-instruct"
WEATHER_PARAMS: dict[str, Any] = {
    "type": "object",
    "properties": {
        "city": {"type": "string", "maxLength": 20},
        "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
    },
    "required": ["city", "unit"],
    "additionalProperties": False,
}
TOOLS: list[ChatCompletionToolParam] = [
    {
        "type": "function",
        "function": {"name": "get_weather", "description": "Weather in a city", "parameters": WEATHER_PARAMS},
    },
    {
        "type": "function",
        "function": {
            "name": "get_time",
            "parameters": {
                "type": "object",
                "properties": {"zone": {"type": "string", "maxLength": 10}},
                "required": ["zone"],
            },
        },
    },
]
ASK: list[ChatCompletionMessageParam] = [{"role": "user", "content": "What is the weather in Paris?"}]


class NoDecoder:
    """No logprobs are asked for, so nothing is decoded."""

    def decode(self, token_ids: list[int], skip_special_tokens: bool = False) -> str:
        raise AssertionError("unexpected decode")


CALL = '<tool_call>\n{"name": "get_weather", "arguments": {"city": "Paris"}}\n</tool_call>'


def test_parse_splits_content_and_calls() -> None:
    content, calls = parse_tool_calls(f"Let me check.\n{CALL}", {"get_weather"})
    assert content == "Let me check."
    assert [(c.name, json.loads(c.arguments)) for c in calls] == [("get_weather", {"city": "Paris"})]
    # Unknown functions and broken JSON stay text: nothing is guessed.
    assert parse_tool_calls(CALL, {"other"}) == (CALL, [])
    assert parse_tool_calls(CALL.replace("}}", "}"), {"get_weather"})[1] == []


def test_stream_holds_a_call_until_it_closes() -> None:
    stream = ToolCallStream({"get_weather"})
    pieces = [
        "Sure <tool",
        '_call>\n{"name": "get_weather", ',
        '"arguments": {"city": "Paris"}}\n</tool_',
        "call>",
    ]
    results = [stream.push(p) for p in pieces]
    assert results[0] == ("Sure ", [])  # "<tool" held back: it may open a call
    assert results[1] == ("", []) and results[2] == ("", [])
    assert [c.name for c in results[3][1]] == ["get_weather"]


def test_parallel_tool_calls_false_keeps_one_call() -> None:
    text = CALL + "\n" + CALL.replace("Paris", "Rome")
    plan = ChatPlan(prompt="", grammar=None, tool_names=frozenset({"get_weather"}))
    two = message_choice(Delta(text, "stop"), plan, NoDecoder(), logprobs=False)
    one = message_choice(
        Delta(text, "stop"), replace(plan, parallel_tool_calls=False), NoDecoder(), logprobs=False
    )
    assert len(two["message"]["tool_calls"]) == 2
    assert [json.loads(c["function"]["arguments"]) for c in one["message"]["tool_calls"]] == [
        {"city": "Paris"}
    ]
    assert one["finish_reason"] == "tool_calls"


@pytest.fixture
def client(running_engine: RunningEngine) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{running_engine.base_url}/v1", api_key="unused", max_retries=0)


@pytest.mark.slow
def test_named_tool_choice_returns_a_valid_call(client: openai.OpenAI) -> None:
    reply = client.chat.completions.create(
        model=MODEL,
        messages=ASK,
        tools=TOOLS,
        max_tokens=60,
        temperature=0,
        tool_choice={"type": "function", "function": {"name": "get_weather"}},
    )
    choice = reply.choices[0]
    assert choice.finish_reason == "tool_calls"
    [call] = choice.message.tool_calls or []
    assert call.type == "function" and call.function.name == "get_weather" and call.id
    jsonschema.validate(json.loads(call.function.arguments), WEATHER_PARAMS)


@pytest.mark.slow
def test_required_streams_a_call_to_one_of_the_tools(client: openai.OpenAI) -> None:
    stream = client.chat.completions.create(
        model=MODEL,
        messages=ASK,
        tools=TOOLS,
        max_tokens=60,
        temperature=0.8,
        seed=5,
        tool_choice="required",
        stream=True,
    )
    calls: dict[int, dict[str, str]] = {}
    reasons = []
    for chunk in stream:
        for delta_call in chunk.choices[0].delta.tool_calls or []:
            entry = calls.setdefault(delta_call.index, {"name": "", "arguments": "", "id": ""})
            entry["id"] += delta_call.id or ""
            entry["name"] += (delta_call.function and delta_call.function.name) or ""
            entry["arguments"] += (delta_call.function and delta_call.function.arguments) or ""
        reasons.append(chunk.choices[0].finish_reason)
    assert reasons[-1] == "tool_calls"
    [call] = calls.values()
    schemas = {t["function"]["name"]: dict(t["function"].get("parameters") or {}) for t in TOOLS}
    assert call["id"] and call["name"] in schemas
    jsonschema.validate(json.loads(call["arguments"]), schemas[call["name"]])


@pytest.mark.slow
def test_tool_choice_none_leaves_tools_out_of_the_prompt(client: openai.OpenAI) -> None:
    plain = client.chat.completions.create(model=MODEL, messages=ASK, max_tokens=1, temperature=0)
    none = client.chat.completions.create(
        model=MODEL, messages=ASK, tools=TOOLS, tool_choice="none", max_tokens=1, temperature=0
    )
    auto = client.chat.completions.create(model=MODEL, messages=ASK, tools=TOOLS, max_tokens=1, temperature=0)
    assert plain.usage and none.usage and auto.usage
    assert none.usage.prompt_tokens < auto.usage.prompt_tokens
    assert none.choices[0].message.tool_calls is None


@pytest.mark.slow
def test_round_trip_with_a_tool_result(client: openai.OpenAI) -> None:
    messages: list[ChatCompletionMessageParam] = [
        *ASK,
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": "get_weather", "arguments": '{"city": "Paris", "unit": "celsius"}'},
                }
            ],
        },
        {"role": "tool", "tool_call_id": "call_1", "content": '{"temperature": 21, "sky": "sunny"}'},
    ]
    reply = client.chat.completions.create(
        model=MODEL, messages=messages, tools=TOOLS, max_tokens=16, temperature=0
    )
    assert reply.choices[0].finish_reason in {"stop", "length", "tool_calls"}
    assert reply.choices[0].message.content or reply.choices[0].message.tool_calls


@pytest.mark.slow
@pytest.mark.parametrize(
    ("change", "param"),
    [
        ({"tool_choice": {"type": "function", "function": {"name": "nope"}}}, "tool_choice"),
        ({"tools": None, "tool_choice": "required"}, "tool_choice"),
        ({"tool_choice": "required", "response_format": {"type": "json_object"}}, "response_format"),
    ],
)
def test_inconsistent_tool_requests_are_400(
    client: openai.OpenAI, change: dict[str, Any], param: str
) -> None:
    body: dict[str, Any] = {"model": MODEL, "messages": ASK, "tools": TOOLS, **change}
    if body["tools"] is None:
        del body["tools"]
    with pytest.raises(openai.BadRequestError) as caught:
        client.chat.completions.create(**body)
    assert caught.value.param == param
