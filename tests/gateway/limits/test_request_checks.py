"""Per-request policy rules: model allow-list, streaming, completion cap (reject / clamp), input size."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.errors import InvalidRequest, PermissionDenied
from gateway.limits.request_checks import check_request, estimate_tokens
from gateway.limits.rules import plan_admission
from gateway.pipeline.context import RequestContext
from gateway.policy.schema import TenantPolicy

MODEL = "smollm2-135m-instruct"


def _policy(**sections: Any) -> TenantPolicy:
    return TenantPolicy.model_validate(
        {"tenant": "t", "name": "T", "models": {"allowed": [MODEL]}, **sections}
    )


def _ctx(
    content: str = "hello there", model: str = MODEL, stream: bool = False, **body: Any
) -> RequestContext:
    ctx = RequestContext(request_id="r", endpoint="chat.completions")
    ctx.model, ctx.stream = model, stream
    ctx.body = {"model": model, "messages": [{"role": "user", "content": content}], **body}
    return ctx


def test_a_model_outside_the_allow_list_is_forbidden() -> None:
    with pytest.raises(PermissionDenied) as refused:
        check_request(_policy(), _ctx(model="other-model"))
    assert refused.value.status_code == 403 and refused.value.code == "model_not_allowed"


def test_streaming_can_be_forbidden() -> None:
    with pytest.raises(PermissionDenied, match="Streaming"):
        check_request(_policy(allow_streaming=False), _ctx(stream=True))
    check_request(_policy(allow_streaming=False), _ctx(stream=False))


def test_completion_cap_rejects_when_configured_to() -> None:
    policy = _policy(tokens={"max_tokens": 50, "on_exceed": "reject"})
    with pytest.raises(InvalidRequest) as refused:
        check_request(policy, _ctx(max_tokens=51))
    assert refused.value.param == "max_tokens" and refused.value.code == "max_tokens_exceeded"
    ctx = _ctx(max_completion_tokens=50)
    check_request(policy, ctx)
    assert ctx.body["max_completion_tokens"] == 50


def test_completion_cap_clamps_and_bounds_requests_that_name_none() -> None:
    policy = _policy(tokens={"max_tokens": 50, "on_exceed": "clamp"})
    asked_too_much, asked_nothing = _ctx(max_tokens=500), _ctx()
    check_request(policy, asked_too_much)
    check_request(policy, asked_nothing)
    assert asked_too_much.body["max_tokens"] == 50
    assert asked_nothing.body["max_tokens"] == 50


def test_input_over_the_limit_is_refused() -> None:
    policy = _policy(tokens={"max_input_tokens": 20})
    check_request(policy, _ctx("a short question"))
    with pytest.raises(InvalidRequest) as refused:
        check_request(policy, _ctx("word " * 40))
    assert refused.value.code == "input_too_long"


def test_token_estimate_never_undercounts_dense_text() -> None:
    assert estimate_tokens("") == 0
    assert estimate_tokens("Hello, world!") == 4  # Hello , world !
    assert estimate_tokens("x" * 400) == 100  # one 400-byte "word": bytes / 4


def test_input_clamp_drops_oldest_turns_but_keeps_system_and_last() -> None:
    policy = _policy(tokens={"max_input_tokens": 40, "on_input_exceed": "clamp"})
    ctx = _ctx()
    ctx.body["messages"] = [
        {"role": "system", "content": "You are a careful clinical assistant."},
        {"role": "user", "content": "first question " * 5},
        {"role": "assistant", "content": "first answer " * 5},
        {"role": "user", "content": "latest question"},
    ]
    check_request(policy, ctx)
    assert [m["role"] for m in ctx.body["messages"]] == ["system", "user"]
    assert ctx.body["messages"][-1]["content"] == "latest question"
    too_long = _ctx("word " * 100)
    with pytest.raises(InvalidRequest):  # the last message alone is over: nothing left to drop
        check_request(policy, too_long)


def test_one_requests_counters_share_a_redis_cluster_slot() -> None:
    policy = _policy(
        rate_limits={"per_key": {"requests_per_minute": 1}, "per_tenant": {"concurrent_requests": 1}},
        budgets={"tokens_per_day": 1, "tokens_per_month": 1},
    )
    admission = plan_admission(policy, "clinic", "key1", "lease")
    counters = [r.counter for r in (*admission.requests, *admission.concurrency, *admission.budgets)]
    assert len(counters) == 4
    assert all(counter.startswith("{clinic}:") for counter in counters)


def test_an_embeddings_request_gets_no_completion_cap_and_its_inputs_count_towards_the_input_cap() -> None:
    ctx = RequestContext(request_id="r", endpoint="embeddings")
    ctx.model, ctx.body = MODEL, {"model": MODEL, "input": ["one two three", "four five"]}
    assert check_request(_policy(tokens={"max_tokens": 50, "max_input_tokens": 100}), ctx) == 7
    assert "max_tokens" not in ctx.body  # an embeddings request has nothing to cap
    with pytest.raises(InvalidRequest) as refused:
        check_request(_policy(tokens={"max_input_tokens": 4}), ctx)
    assert refused.value.param == "input" and refused.value.code == "input_too_long"
