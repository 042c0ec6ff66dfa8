"""Streamed completions are counted from the engine's final usage until the daily budget is spent;
the next request is refused with 429 and says so. Real gateway, real engine, real model."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from tests.gateway.policy.policy_files import tenant_yaml, write_policy
from tests.servers import RunningGateway, running_gateway

DAILY_BUDGET = 120


def _stream(gateway: RunningGateway, key: str) -> tuple[int, int | None, httpx.Headers, str]:
    """Status, total tokens from the final usage chunk (None if refused), headers, raw body."""
    body = {
        "model": "smollm2-135m-instruct",
        "messages": [{"role": "user", "content": "Name three colours."}],
        "max_tokens": 8,
        "stream": True,
        "stream_options": {"include_usage": True},
    }
    headers = {"Authorization": f"Bearer {key}"}
    with httpx.stream(
        "POST", f"{gateway.base_url}/v1/chat/completions", json=body, headers=headers, timeout=120
    ) as response:
        text = response.read().decode()
    total = None
    for line in text.splitlines():
        if line.startswith("data: {"):
            usage = json.loads(line[6:]).get("usage")
            total = usage["total_tokens"] if usage else total
    return response.status_code, total, response.headers, text


@pytest.mark.slow
def test_streams_until_the_daily_budget_is_spent_then_429(tmp_path: Path, engine_url: str) -> None:
    policies = tmp_path / "policies"
    write_policy(
        policies,
        "tenants/clinic.yaml",
        tenant_yaml("clinic", f"budgets: {{tokens_per_day: {DAILY_BUDGET}}}\n"),
    )
    write_policy(
        policies, "tenants/closed.yaml", tenant_yaml("closed").replace("[smollm2-135m-instruct]", "[]")
    )
    with running_gateway(tmp_path / "home", engine_url, policy_dir=policies) as gateway:
        key = gateway.create_key("clinic")
        listed = httpx.get(f"{gateway.base_url}/v1/models", headers={"Authorization": f"Bearer {key}"})
        assert [m["id"] for m in listed.json()["data"]] == ["smollm2-135m-instruct"]
        closed_key = gateway.create_key("closed")
        hidden = httpx.get(f"{gateway.base_url}/v1/models", headers={"Authorization": f"Bearer {closed_key}"})
        assert hidden.json()["data"] == []  # /v1/models lists only what the tenant may use
        spent: list[int] = []
        for _ in range(20):
            status, total, headers, text = _stream(gateway, key)
            if status != 200:
                break
            assert total is not None, "the stream carried no final usage"
            spent.append(total)
        else:
            raise AssertionError("the budget was never enforced")
    assert status == 429, text
    error = json.loads(text)["error"]
    assert error["code"] == "budget_exhausted"
    assert f"daily token budget of {DAILY_BUDGET} tokens is spent" in error["message"]
    assert int(headers["Retry-After"]) >= 1
    # Admitted while under budget, refused once the streamed usage reached it: exact accounting.
    assert len(spent) >= 2
    assert sum(spent[:-1]) < DAILY_BUDGET <= sum(spent)
