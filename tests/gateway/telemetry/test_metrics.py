"""``/metrics`` on a real gateway process after real traffic: Prometheus text, every family, counts by
tenant and reason; refused without the operator token."""

from __future__ import annotations

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.gateway.telemetry.conftest import METRICS_TOKEN, GatewayUnderTest
from tests.servers import DEFAULT_MODEL

pytestmark = pytest.mark.slow
FAMILIES = {
    "bulwark_gateway_requests",
    "bulwark_gateway_stage_duration_seconds",
    "bulwark_gateway_time_to_first_token_seconds",
    "bulwark_gateway_inter_token_latency_seconds",
    "bulwark_gateway_pii_findings",
    "bulwark_gateway_policy_denials",
    "bulwark_gateway_limit_hits",
    "bulwark_gateway_audit_commit_seconds",
    "bulwark_gateway_audit_queue_depth",
    "bulwark_gateway_upstream_in_flight",
    "bulwark_gateway_upstream_errors",
}
Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def _scrape(gateway: GatewayUnderTest, token: str | None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    return httpx.get(f"{gateway.base_url}/metrics", headers=headers, timeout=30)


def _stream(gateway: GatewayUnderTest, key: str, content: str) -> int:
    body = {
        "model": DEFAULT_MODEL,
        "messages": [{"role": "user", "content": content}],
        "stream": True,
        "temperature": 0,
    }
    headers = {"Authorization": f"Bearer {key}"}
    url = f"{gateway.base_url}/v1/chat/completions"
    with httpx.stream("POST", url, json={**body, "max_tokens": 16}, headers=headers, timeout=300) as reply:
        for _ in reply.iter_lines():
            pass
        return reply.status_code


def _value(samples: Samples, name: str, **labels: str) -> float:
    """The sum over samples of ``name`` whose labels include ``labels``."""
    wanted = set(labels.items())
    return sum(value for (sample, have), value in samples.items() if sample == name and wanted <= have)


def test_metrics_after_traffic_and_only_with_the_operator_token(traced_gateway: GatewayUnderTest) -> None:
    assert _scrape(traced_gateway, None).status_code == 401
    assert _scrape(traced_gateway, "x" * 43).status_code == 401

    clinic, _ = traced_gateway.create_key("clinic")
    # Words, not digits: the response scanner holds back digits that could start an identifier, and
    # inter-token latency needs at least two chunks to reach the client.
    prompt = "Patient Maria Garcia, SSN 219-09-9999. Write one sentence about the sea."
    assert _stream(traced_gateway, clinic, prompt) == 200
    limited, _ = traced_gateway.create_key("limited")
    assert _stream(traced_gateway, limited, "Count to five.") == 403  # this tenant may not stream
    assert traced_gateway.chat(limited, "Hi", max_tokens=1).status_code == 200
    assert traced_gateway.chat(limited, "Hi", max_tokens=1).status_code == 429  # one request a minute

    reply = _scrape(traced_gateway, METRICS_TOKEN)
    assert reply.status_code == 200
    assert reply.headers["content-type"].startswith("text/plain; version=0.0.4")
    families = list(text_string_to_metric_families(reply.text))
    assert {family.name for family in families} >= FAMILIES
    samples: Samples = {
        (s.name, frozenset(s.labels.items())): s.value for family in families for s in family.samples
    }
    total = "bulwark_gateway_requests_total"
    assert _value(samples, total, tenant="clinic", model=DEFAULT_MODEL, outcome="ok") >= 1
    assert _value(samples, total, tenant="limited", outcome="streaming_not_allowed") == 1
    assert _value(samples, total, tenant="limited", outcome="rate_limit_exceeded") == 1
    assert _value(samples, "bulwark_gateway_policy_denials_total", reason="streaming_not_allowed") == 1
    assert _value(samples, "bulwark_gateway_limit_hits_total", reason="rate_limit_exceeded") == 1
    assert _value(samples, "bulwark_gateway_pii_findings_total", tenant="clinic", action="pseudonymize") >= 2
    # Each refusal belongs to the stage that made it; the stages around it only passed it on.
    stage = "bulwark_gateway_stage_duration_seconds_count"
    assert _value(samples, stage, stage="enforce_limits", tenant="limited", outcome="refused") == 2
    assert _value(samples, stage, stage="audit", tenant="limited", outcome="inner_error") == 2
    assert _value(samples, "bulwark_gateway_time_to_first_token_seconds_count", tenant="clinic") >= 1
    assert _value(samples, "bulwark_gateway_inter_token_latency_seconds_count", tenant="clinic") >= 1
    assert _value(samples, "bulwark_gateway_audit_commit_seconds_count") >= 4
    in_flight = [v for (name, _), v in samples.items() if name == "bulwark_gateway_upstream_in_flight"]
    assert in_flight and all(value == 0 for value in in_flight)  # every response body was closed
