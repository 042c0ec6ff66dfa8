"""What the running gateway holds for observability, built once in ``create_app`` and shut down (which
flushes spans still queued) when the app stops."""

from __future__ import annotations

import ssl
from collections.abc import Iterable
from dataclasses import dataclass

import httpx
from fastapi import FastAPI
from opentelemetry import trace
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.trace import Tracer

from gateway.telemetry.metrics import GatewayMetrics
from gateway.telemetry.pipeline_observer import PipelineTelemetry
from gateway.telemetry.tracing import start_tracing
from gateway.telemetry.upstream_transport import upstream_transport

SERVICE_NAME = "bulwark-gateway"
# Probes and scrapes would bury the requests that matter.
UNTRACED_PATHS = "/healthz,/readyz,/metrics"


@dataclass
class TelemetryRuntime:
    metrics: GatewayMetrics
    tracer_provider: TracerProvider | None  # None: tracing is off (OTEL_TRACES_EXPORTER unset or none)

    @classmethod
    def from_environment(cls) -> TelemetryRuntime:
        return cls(GatewayMetrics(), start_tracing(SERVICE_NAME))

    @property
    def tracer(self) -> Tracer:
        if self.tracer_provider is None:
            return trace.NoOpTracer()
        return self.tracer_provider.get_tracer("bulwark.gateway")

    def instrument(self, app: FastAPI) -> None:
        """One server span per request (continuing a caller's ``traceparent``), no per-message spans."""
        if self.tracer_provider is None:
            return
        FastAPIInstrumentor.instrument_app(
            app,
            tracer_provider=self.tracer_provider,
            excluded_urls=UNTRACED_PATHS,
            exclude_spans=["receive", "send"],
        )

    def pipeline_observer(self, served_models: Iterable[str]) -> PipelineTelemetry:
        tracer = self.tracer if self.tracer_provider is not None else None
        return PipelineTelemetry(self.metrics, tracer, served_models)

    def upstream_transport(self, verify: ssl.SSLContext | bool = True) -> httpx.AsyncBaseTransport:
        return upstream_transport(self.metrics, self.tracer_provider, verify)

    def shutdown(self) -> None:
        if self.tracer_provider is not None:
            self.tracer_provider.shutdown()
