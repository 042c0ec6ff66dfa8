"""The Responses API <-> chat completions mapping, on payloads: requests into chat bodies, chat answers
and chunk streams back into Response objects and events, checked with the openai SDK's own types and
its stream accumulator (what `client.responses.stream(...)` runs)."""

from __future__ import annotations

from typing import Any

import pytest
from openai import omit
from openai.lib.streaming.responses._responses import ResponseStreamState
from openai.types.responses import Response, ResponseStreamEvent
from pydantic import TypeAdapter

from gateway.errors import InvalidRequest
from gateway.responses.from_chat import ResponseShell, from_chat_completion
from gateway.responses.schemas import ResponsesRequest
from gateway.responses.stream_events import ResponseEventStream
from gateway.responses.to_chat import chat_request

MODEL = "smollm2-135m-instruct"
WEATHER_TOOL = {
    "type": "function",
    "name": "get_weather",
    "description": "Weather for a city",
    "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
}
EVENTS: TypeAdapter[Any] = TypeAdapter(ResponseStreamEvent)


def _request(**fields: Any) -> ResponsesRequest:
    return ResponsesRequest.model_validate({"model": MODEL, "input": "Hi", **fields})


def test_text_input_with_instructions_becomes_a_chat_request() -> None:
    body = chat_request(_request(instructions="Be brief.", max_output_tokens=20, temperature=0, stream=True))
    assert body["messages"] == [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}]
    assert (body["max_tokens"], body["temperature"]) == (20, 0)
    assert body["stream_options"] == {"include_usage": True}


def test_a_tool_round_trip_becomes_assistant_tool_calls_and_a_tool_message() -> None:
    items = [
        {"role": "user", "content": [{"type": "input_text", "text": "Weather in Oslo?"}]},
        {"type": "function_call", "call_id": "call_1", "name": "get_weather", "arguments": '{"city":"Oslo"}'},
        {"type": "function_call_output", "call_id": "call_1", "output": "4 C, rain"},
    ]
    choice = {"type": "function", "name": "get_weather"}
    body = chat_request(_request(input=items, tools=[WEATHER_TOOL], tool_choice=choice))
    user, assistant, tool = body["messages"]
    assert user == {"role": "user", "content": [{"type": "text", "text": "Weather in Oslo?"}]}
    assert assistant["tool_calls"] == [
        {
            "id": "call_1",
            "type": "function",
            "function": {"name": "get_weather", "arguments": '{"city":"Oslo"}'},
        }
    ]
    assert tool == {"role": "tool", "tool_call_id": "call_1", "content": "4 C, rain"}
    assert body["tools"][0]["function"]["name"] == "get_weather"
    assert body["tool_choice"] == {"type": "function", "function": {"name": "get_weather"}}


def test_json_schema_text_format_becomes_response_format() -> None:
    fmt = {"type": "json_schema", "name": "city", "schema": {"type": "object"}, "strict": True}
    body = chat_request(_request(text={"format": fmt}))
    assert body["response_format"] == {
        "type": "json_schema",
        "json_schema": {"name": "city", "schema": {"type": "object"}, "strict": True},
    }


@pytest.mark.parametrize(
    ("fields", "param"),
    [
        ({"previous_response_id": "resp_1"}, "previous_response_id"),
        ({"store": True}, "store"),
        ({"background": True}, "background"),
        ({"tools": [{"type": "web_search"}]}, "tools[0].type"),
        ({"tools": [{"type": "function", "name": "f", "bogus": 1}]}, "tools[0].bogus"),
        ({"tool_choice": {"type": "file_search"}}, "tool_choice"),
        ({"input": [{"type": "reasoning", "summary": []}]}, "input[0].type"),
        (
            {"input": [{"role": "user", "content": [{"type": "input_image", "image_url": "x"}]}]},
            "input[0].content[0].type",
        ),
        ({"input": [{"type": "function_call", "call_id": "c", "name": "f"}]}, "input[0].arguments"),
        ({"text": {"format": {"type": "text"}, "verbosity": "low"}}, "text.verbosity"),
    ],
)
def test_what_is_not_served_is_refused_by_name(fields: dict[str, Any], param: str) -> None:
    with pytest.raises(InvalidRequest) as refused:
        chat_request(_request(**fields))
    assert refused.value.param == param


def test_a_chat_answer_with_tool_calls_becomes_function_call_items() -> None:
    completion = {
        "choices": [
            {
                "finish_reason": "tool_calls",
                "message": {
                    "role": "assistant",
                    "content": None,
                    "tool_calls": [
                        {
                            "id": "call_7",
                            "type": "function",
                            "function": {"name": "get_weather", "arguments": "{}"},
                        }
                    ],
                },
            }
        ],
        "usage": {"prompt_tokens": 30, "completion_tokens": 9, "total_tokens": 39},
    }
    body = from_chat_completion(ResponseShell(_request(tools=[WEATHER_TOOL])), completion)
    response = Response.model_validate(body)
    [call] = response.output
    assert call.type == "function_call" and call.call_id == "call_7" and call.name == "get_weather"
    assert response.status == "completed" and response.usage and response.usage.total_tokens == 39


def test_a_cut_off_chat_answer_is_an_incomplete_response() -> None:
    completion = {
        "choices": [{"finish_reason": "length", "message": {"role": "assistant", "content": "Par"}}]
    }
    response = Response.model_validate(from_chat_completion(ResponseShell(_request()), completion))
    assert response.output_text == "Par"
    assert response.status == "incomplete" and response.incomplete_details
    assert response.incomplete_details.reason == "max_output_tokens"


def _chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
    return {"choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}


def _replay(request: ResponsesRequest, chunks: list[dict[str, Any]]) -> tuple[list[str], Any]:
    """Run the chunks through the translator, then every event through the SDK's types and accumulator."""
    stream = ResponseEventStream(ResponseShell(request))
    events = stream.opening() + [e for c in chunks for e in stream.feed(c)] + stream.closing()
    assert [e["sequence_number"] for e in events] == list(range(len(events)))
    state = ResponseStreamState(input_tools=request.tools or [], text_format=omit)  # type: ignore[arg-type]
    for event in events:
        state.handle_event(EVENTS.validate_python(event))
    return [e["type"] for e in events], state._completed_response


def test_a_text_stream_becomes_the_responses_event_sequence() -> None:
    usage = {"prompt_tokens": 5, "completion_tokens": 2, "total_tokens": 7}
    chunks = [
        _chunk({"role": "assistant", "content": ""}),
        _chunk({"content": "Par"}),
        _chunk({"content": "is"}),
    ]
    chunks += [_chunk({}, "stop"), {"choices": [], "usage": usage}]
    kinds, final = _replay(_request(stream=True), chunks)
    assert kinds == [
        "response.created",
        "response.in_progress",
        "response.output_item.added",
        "response.content_part.added",
        "response.output_text.delta",
        "response.output_text.delta",
        "response.output_text.done",
        "response.content_part.done",
        "response.output_item.done",
        "response.completed",
    ]
    assert final.output_text == "Paris" and final.usage.total_tokens == 7


def test_a_streamed_tool_call_becomes_argument_deltas() -> None:
    opening = {
        "index": 0,
        "id": "call_3",
        "type": "function",
        "function": {"name": "get_weather", "arguments": ""},
    }
    chunks = [
        _chunk({"role": "assistant", "tool_calls": [opening]}),
        _chunk({"tool_calls": [{"index": 0, "function": {"arguments": '{"city":'}}]}),
        _chunk({"tool_calls": [{"index": 0, "function": {"arguments": '"Oslo"}'}}]}),
        _chunk({}, "tool_calls"),
    ]
    kinds, final = _replay(_request(stream=True, tools=[WEATHER_TOOL]), chunks)
    assert kinds.count("response.function_call_arguments.delta") == 2
    assert "response.function_call_arguments.done" in kinds
    [call] = final.output
    assert (call.call_id, call.name, call.arguments) == ("call_3", "get_weather", '{"city":"Oslo"}')
