"""One request through real gateway and engine processes is one trace: a span per stage, the engine's
spans continuing the gateway's ``traceparent``, and no content in anything exported, logged or scraped."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.gateway.telemetry.conftest import METRICS_TOKEN, GatewayUnderTest
from tests.gateway.telemetry.otlp_receiver import OtlpReceiver, ReceivedSpan

pytestmark = pytest.mark.slow
NAME, SSN = "Maria Garcia", "219-09-9999"
PROMPT = f"Patient {NAME}, SSN {SSN}, asks about her appointment. Answer in one word."
STAGES = {
    "audit",
    "authenticate",
    "validate",
    "resolve_policy",
    "enforce_limits",
    "restore",
    "scan_response",
    "redact",
    "route",
    "forward",
}
SERVER_SPAN = "POST /v1/chat/completions"


def _wait_for(condition: Any, timeout_s: float = 90.0) -> Any:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError("telemetry did not arrive in time")


def _request_trace(receiver: OtlpReceiver, key_id: str) -> list[ReceivedSpan] | None:
    """The spans of the trace whose gateway server span carries ``key_id``, once the engine's are in."""
    _, spans = receiver.snapshot()
    roots = [s for s in spans if s.name == SERVER_SPAN and s.attributes.get("bulwark.key_id") == key_id]
    if len(roots) != 1:
        return None
    trace = [s for s in spans if s.trace_id == roots[0].trace_id]
    return trace if any(s.name == "engine.generate" for s in trace) else None


def _forbidden(key: str) -> list[str]:
    return [NAME, *NAME.split(), SSN, SSN.replace("-", ""), key, key.split("_")[2]]


def test_one_request_is_one_trace_across_gateway_and_engine_without_content(
    traced_gateway: GatewayUnderTest, receiver: OtlpReceiver, engine_log: Path
) -> None:
    key, key_id = traced_gateway.create_key("clinic")
    reply = traced_gateway.chat(key, PROMPT, max_tokens=8, temperature=0)
    assert reply.status_code == 200, reply.text

    trace = _wait_for(lambda: _request_trace(receiver, key_id))
    by_id = {s.span_id: s for s in trace}
    root = next(s for s in trace if s.attributes.get("bulwark.key_id") == key_id)
    assert root.parent_span_id == "" and root.service == "bulwark-gateway"
    assert root.attributes["bulwark.tenant_id"] == "clinic"
    assert root.attributes["bulwark.outcome"] == "ok"
    assert {s.service for s in trace} == {"bulwark-gateway", "bulwark-engine"}

    stages = {s.attributes["bulwark.stage"]: s for s in trace if s.name.startswith("stage ")}
    assert set(stages) >= STAGES
    assert {s.attributes["bulwark.stage.outcome"] for s in stages.values()} == {"ok"}
    # authenticate runs outside audit (a flood of bad keys never reaches the ledger), audit inside it.
    assert by_id[stages["audit"].parent_span_id] is stages["authenticate"]
    assert by_id[stages["authenticate"].parent_span_id] is root

    # The engine's server span is a child of the gateway's upstream call (W3C traceparent).
    engine_server = next(s for s in trace if s.service == "bulwark-engine" and s.name.startswith("POST"))
    upstream_call = by_id[engine_server.parent_span_id]
    assert upstream_call.service == "bulwark-gateway"
    assert by_id[upstream_call.parent_span_id] is stages["forward"]
    generate = next(s for s in trace if s.name == "engine.generate")
    assert generate.parent_span_id == engine_server.span_id
    for name in ("queue_wait_ms", "prefill_ms", "decode_ms", "cached_tokens", "prompt_tokens"):
        assert f"bulwark.engine.{name}" in generate.attributes
    assert (
        generate.attributes["bulwark.engine.completion_tokens"] == reply.json()["usage"]["completion_tokens"]
    )

    # One request, one trace: nothing else carries this key.
    _, spans = receiver.snapshot()
    assert {s.trace_id for s in spans if s.attributes.get("bulwark.key_id") == key_id} == {root.trace_id}

    exported, _ = receiver.snapshot()
    scraped = httpx.get(
        f"{traced_gateway.base_url}/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}
    ).text
    logs = traced_gateway.log.read_text(errors="replace") + engine_log.read_text(errors="replace")
    for value in _forbidden(key):
        assert value.encode() not in exported, value
        assert value not in scraped, value
        assert value not in logs, value
    assert METRICS_TOKEN not in logs and METRICS_TOKEN.encode() not in exported


def _console_spans(text: str) -> list[dict[str, Any]]:
    """The JSON objects ConsoleSpanExporter printed, picked out from between the log lines."""
    decoder, spans = json.JSONDecoder(), []
    for match in re.finditer(r'^\{\n\s+"name": ', text, flags=re.MULTILINE):
        span, _ = decoder.raw_decode(text, match.start())
        spans.append(span)
    return spans


def test_console_exporter_prints_both_processes_spans_with_one_trace_id(
    traced_gateway: GatewayUnderTest, engine_log: Path
) -> None:
    key, key_id = traced_gateway.create_key("clinic")
    assert traced_gateway.chat(key, "Say hello.", max_tokens=4, temperature=0).status_code == 200

    def printed() -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
        gateway_spans = _console_spans(traced_gateway.log.read_text(errors="replace"))
        roots = [s for s in gateway_spans if s["attributes"].get("bulwark.key_id") == key_id]
        if not roots:
            return None
        trace_id = roots[0]["context"]["trace_id"]
        engine_spans = [
            s
            for s in _console_spans(engine_log.read_text(errors="replace"))
            if s["context"]["trace_id"] == trace_id
        ]
        return (roots[0], engine_spans) if engine_spans else None

    root, engine_spans = _wait_for(printed)
    assert root["resource"]["attributes"]["service.name"] == "bulwark-gateway"
    assert {s["resource"]["attributes"]["service.name"] for s in engine_spans} == {"bulwark-engine"}
    assert "engine.generate" in {s["name"] for s in engine_spans}
