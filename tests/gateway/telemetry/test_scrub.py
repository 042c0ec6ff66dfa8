"""What an instrumentation library records beyond the allow-list never leaves the process."""

from __future__ import annotations

import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import Status, StatusCode

from gateway.errors import AuthenticationFailed, PermissionDenied
from gateway.settings import SettingsError, load_settings
from gateway.telemetry.endpoint import check_operator_token
from gateway.telemetry.scrub import ContentFreeExporter

SSN, KEY = "219-09-9999", "bwk_R9W70xN4203Z_secretpartsecretpartsecretpart"


def test_only_allow_listed_attributes_and_bare_exception_types_are_exported() -> None:
    memory = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(ContentFreeExporter(memory)))
    with provider.get_tracer("test").start_as_current_span("POST /v1/chat/completions") as span:
        span.set_attributes(
            {
                "http.url": f"http://gw/v1/chat/completions?patient={SSN}",
                "http.user_agent": f"app ({SSN})",
                "http.request.header.authorization": f"Bearer {KEY}",
                "bulwark.tenant_id": "clinic",
                "http.status_code": 500,
            }
        )
        span.record_exception(ValueError(f"bad value {SSN}"))
        span.set_status(Status(StatusCode.ERROR, f"ValueError: {SSN}"))
    (exported,) = memory.get_finished_spans()
    assert dict(exported.attributes or {}) == {
        "http.url": "http://gw/v1/chat/completions",
        "bulwark.tenant_id": "clinic",
        "http.status_code": 500,
    }
    (event,) = exported.events
    assert dict(event.attributes or {}) == {"exception.type": "ValueError", "exception.escaped": "False"}
    assert exported.status.status_code is StatusCode.ERROR and exported.status.description is None
    assert SSN not in exported.to_json() and KEY not in exported.to_json()


def test_metrics_refuse_without_a_configured_token_and_with_a_wrong_one() -> None:
    token = "t" * 40
    with pytest.raises(PermissionDenied):
        check_operator_token(None, f"Bearer {token}")  # off unless configured: fail closed
    for presented in (None, "", token, f"Basic {token}", f"Bearer {token}x"):
        with pytest.raises(AuthenticationFailed):
            check_operator_token(token, presented)
    check_operator_token(token, f"Bearer {token}")


def test_a_short_metrics_token_refuses_to_start(tmp_path) -> None:
    with pytest.raises(SettingsError, match="BULWARK_METRICS_TOKEN"):
        load_settings(home=tmp_path, dev_mode=True, metrics_token="short")
