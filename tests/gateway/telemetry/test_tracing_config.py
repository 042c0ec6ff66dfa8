"""The standard OTEL_* variables choose the exporters; anything this installation cannot do refuses to
start, naming the variable."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from gateway.telemetry.tracing import TracingConfigError, exporter_names, start_tracing
from tests.servers import REPO


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


SCRIPT = """
from gateway.telemetry.tracing import start_tracing
provider = start_tracing("bulwark-gateway")
with provider.get_tracer("test").start_as_current_span("stage audit"):
    pass
provider.shutdown()
"""


def test_console_exporter_prints_spans_named_by_otel_service_name() -> None:
    # A child process: the SDK's console exporter binds the stdout it was imported with.
    environ = {**os.environ, "OTEL_TRACES_EXPORTER": "console", "OTEL_SERVICE_NAME": "gateway-east"}
    run = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=environ, cwd=REPO, capture_output=True, text=True, check=True
    )
    printed = json.loads(run.stdout)
    assert printed["name"] == "stage audit"
    assert printed["resource"]["attributes"]["service.name"] == "gateway-east"
