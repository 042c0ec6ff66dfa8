"""Every request field is honoured (a test below or named in EFFECTS shows its effect) or refused with a
400 that names it; a field added to the schema without either fails test_every_field_is_accounted_for."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from engine.protocol import REFUSED, ChatCompletionRequest, CompletionRequest
from tests.engine.conftest import RunningEngine

pytestmark = pytest.mark.slow
MODEL = "smollm2-135m-instruct"
PROMPT: dict[str, Any] = {"model": MODEL, "prompt": "1, 2, 3, 4,", "max_tokens": 4, "temperature": 0}
CHAT: dict[str, Any] = {
    "model": MODEL,
    "messages": [{"role": "user", "content": "Count to five."}],
    "max_tokens": 4,
}
HOT = {"temperature": 2.0, "seed": 1}
Check = Callable[[dict[str, Any], dict[str, Any]], bool]


def _text(reply: dict[str, Any]) -> str:
    return str(reply["choices"][0]["text"])


def _differs(base: dict[str, Any], reply: dict[str, Any]) -> bool:
    return _text(base) != _text(reply)


# Completions fields whose effect shows against a greedy baseline: (change, what must hold).
COMPLETION_EFFECTS: dict[str, tuple[dict[str, Any], Check]] = {
    "temperature": (HOT, _differs),
    "top_k": ({**HOT, "top_k": 1}, lambda b, r: _text(b) == _text(r)),
    "top_p": ({**HOT, "top_p": 0.001}, lambda b, r: _text(b) == _text(r)),
    "stop": ({"stop": [","]}, lambda b, r: "," not in _text(r) and len(_text(r)) < len(_text(b))),
    "max_tokens": ({"max_tokens": 2}, lambda _, r: r["usage"]["completion_tokens"] == 2),
    "logit_bias": ({"logit_bias": {"33": 100}}, lambda _, r: set(_text(r)) == {"1"}),  # 33 is "1"
    "logprobs": ({"logprobs": 2}, lambda _, r: len(r["choices"][0]["logprobs"]["top_logprobs"][0]) == 2),
    "echo": ({"echo": True}, lambda b, r: _text(r) == PROMPT["prompt"] + _text(b)),
    "ignore_eos": (
        {"ignore_eos": True, "max_tokens": 40},
        lambda _, r: r["usage"]["completion_tokens"] == 40,
    ),
    "n": ({"n": 1}, lambda b, r: _text(b) == _text(r)),  # n > 1 is refused below
    "best_of": ({"best_of": 1}, lambda b, r: _text(b) == _text(r)),  # best_of > 1 is refused below
}
# Fields whose effect other tests show.
EFFECTS_ELSEWHERE = {
    "model": "test_server.py::test_unknown_model_is_404",
    "prompt": "test_server.py::test_completion_respects_max_tokens_and_stop",
    "messages": "test_server.py::test_chat_completion_answers_with_usage",
    "stream": "test_server.py::test_completion_stream",
    "stream_options": "test_server.py::test_chat_stream_matches_non_stream_and_ends_with_usage",
    "cache_salt": "test_server_engine.py::test_prefix_cache_is_isolated_by_cache_salt",
    "seed": "test_seed_reproduces_and_varies",
    "presence_penalty": "test_penalties_break_repetition",
    "frequency_penalty": "test_penalties_break_repetition",
    "max_completion_tokens": "test_chat_fields_take_effect",
    "top_logprobs": "test_chat_fields_take_effect",
    "response_format": "test_structured_output.py",
    "tools": "test_tool_calls.py::test_tool_choice_none_leaves_tools_out_of_the_prompt",
    "tool_choice": "test_tool_calls.py::test_named_tool_choice_returns_a_valid_call",
    "parallel_tool_calls": "test_tool_calls.py::test_parallel_tool_calls_false_keeps_one_call",
}


Post = Callable[[str, dict[str, Any]], dict[str, Any]]


@pytest.fixture
def post(running_engine: RunningEngine) -> Post:
    def send(path: str, body: dict[str, Any]) -> dict[str, Any]:
        response = httpx.post(f"{running_engine.base_url}{path}", json=body, timeout=120)
        assert response.status_code == 200, response.text
        return dict(response.json())

    return send


def test_every_field_is_accounted_for() -> None:
    fields = set(ChatCompletionRequest.model_fields) | set(CompletionRequest.model_fields)
    covered = set(COMPLETION_EFFECTS) | set(EFFECTS_ELSEWHERE)
    assert fields - covered == set()
    assert not fields & set(REFUSED)


@pytest.mark.parametrize("field", sorted(COMPLETION_EFFECTS))
def test_completion_field_takes_effect(post: Post, field: str) -> None:
    change, holds = COMPLETION_EFFECTS[field]
    baseline = post("/v1/completions", PROMPT)
    assert holds(baseline, post("/v1/completions", {**PROMPT, **change})), field


def test_seed_reproduces_and_varies(post: Post) -> None:
    first, again = (post("/v1/completions", {**PROMPT, **HOT}) for _ in range(2))
    other = post("/v1/completions", {**PROMPT, **HOT, "seed": 2})
    assert _text(first) == _text(again) != _text(other)


def test_penalties_break_repetition(post: Post) -> None:
    greedy = {**PROMPT, "prompt": "ha ha ha ha ha ha ha ha", "max_tokens": 8}
    plain, penalised = (
        _text(post("/v1/completions", {**greedy, **change})) for change in ({}, {"frequency_penalty": 2.0})
    )
    assert penalised.count("ha") < plain.count("ha"), (plain, penalised)
    # A flat presence penalty does not beat a confident greedy pick; a seeded draw shows its effect.
    seeded = {**greedy, "temperature": 1.0, "seed": 7}
    plain, penalised = (
        _text(post("/v1/completions", {**seeded, **change})) for change in ({}, {"presence_penalty": 2.0})
    )
    assert penalised != plain


def test_chat_fields_take_effect(post: Post) -> None:
    reply = post("/v1/chat/completions", {**CHAT, "max_tokens": 9, "max_completion_tokens": 3})
    assert reply["usage"]["completion_tokens"] == 3
    reply = post("/v1/chat/completions", {**CHAT, "logprobs": True, "top_logprobs": 3, "temperature": 0})
    [first, *_] = reply["choices"][0]["logprobs"]["content"]
    assert len(first["top_logprobs"]) == 3 and first["token"] == first["top_logprobs"][0]["token"]
    assert first["logprob"] <= 0


REFUSALS = [(name, {name: True}) for name in sorted(REFUSED)] + [
    ("n", {"n": 2}),
    ("best_of", {"best_of": 2}),
    ("frobnicate", {"frobnicate": 1}),
    ("top_logprobs", {"top_logprobs": 2}),
]


@pytest.mark.parametrize(("param", "change"), REFUSALS, ids=[p for p, _ in REFUSALS])
def test_unserved_field_is_400_naming_it(
    running_engine: RunningEngine, param: str, change: dict[str, Any]
) -> None:
    body, path = (PROMPT, "/v1/completions") if param == "best_of" else (CHAT, "/v1/chat/completions")
    response = httpx.post(f"{running_engine.base_url}{path}", json={**body, **change})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["param"] == param and param in error["message"]


def test_completion_logprobs_with_echo_is_400(running_engine: RunningEngine) -> None:
    body = {**PROMPT, "echo": True, "logprobs": 1}
    response = httpx.post(f"{running_engine.base_url}/v1/completions", json=body)
    assert response.status_code == 400 and response.json()["error"]["param"] == "logprobs"
