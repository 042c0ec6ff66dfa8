"""The standard OTEL_* variables choose the exporters; anything this installation cannot do refuses to
start, naming the variable."""

from __future__ import annotations

import json

import pytest

from gateway.telemetry.tracing import TracingConfigError, exporter_names, start_tracing


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, []),
        ({"OTEL_TRACES_EXPORTER": "none"}, []),
        ({"OTEL_TRACES_EXPORTER": "otlp", "OTEL_SDK_DISABLED": "true"}, []),
        ({"OTEL_TRACES_EXPORTER": "otlp"}, ["otlp_proto_http"]),
        ({"OTEL_TRACES_EXPORTER": "otlp,console"}, ["otlp_proto_http", "console"]),
        ({"OTEL_TRACES_EXPORTER": "otlp", "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"}, ["otlp_proto_grpc"]),
    ],
)
def test_exporter_names_follow_the_standard_variables(environ: dict[str, str], expected: list[str]) -> None:
    assert exporter_names(environ) == expected


def test_an_unknown_protocol_or_exporter_refuses_to_start(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(TracingConfigError, match="OTEL_EXPORTER_OTLP_PROTOCOL"):
        exporter_names({"OTEL_TRACES_EXPORTER": "otlp", "OTEL_EXPORTER_OTLP_PROTOCOL": "http/json"})
    monkeypatch.setenv("OTEL_TRACES_EXPORTER", "zipkin")
    with pytest.raises(TracingConfigError, match="OTEL_TRACES_EXPORTER"):
        start_tracing("bulwark-gateway")


def test_console_exporter_prints_spans_named_by_otel_service_name(
    monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("OTEL_TRACES_EXPORTER", "console")
    monkeypatch.setenv("OTEL_SERVICE_NAME", "gateway-east")
    provider = start_tracing("bulwark-gateway")
    assert provider is not None
    with provider.get_tracer("test").start_as_current_span("stage audit"):
        pass
    provider.shutdown()
    printed = json.loads(capfd.readouterr().out)
    assert printed["name"] == "stage audit"
    assert printed["resource"]["attributes"]["service.name"] == "gateway-east"
