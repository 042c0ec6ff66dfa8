"""Tracing for the engine from the standard ``OTEL_*`` variables; off unless ``OTEL_TRACES_EXPORTER``
names an exporter (``otlp`` = OTLP over http/protobuf, ``console``).

The server span continues the gateway's W3C ``traceparent`` (FastAPI instrumentation); ``CompletionRun``
adds one ``engine.generate`` span with queue wait, prefill, decode and token counts. Prompts and outputs
never go into a span: exported spans keep only the attributes named below (the gateway has its own,
stricter filter; the engine never imports the gateway), and exception events lose their message and
stack trace, which could quote a prompt.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from importlib.metadata import entry_points

from fastapi import FastAPI
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import Event, ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter, SpanExportResult
from opentelemetry.trace import Status
from opentelemetry.util.types import Attributes, AttributeValue

_KEPT = (
    "bulwark.",
    "http.method",
    "http.request.method",
    "http.route",
    "http.status_code",
    "http.response.status_code",
    "url.scheme",
    "url.path",
    "server.",
    "net.host.",
    "exception.type",
)


def _kept(attributes: Attributes) -> dict[str, AttributeValue]:
    return {key: value for key, value in (attributes or {}).items() if key.startswith(_KEPT)}


class _ContentFree(SpanExporter):
    def __init__(self, inner: SpanExporter) -> None:
        self._inner = inner

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        return self._inner.export([self._scrub(span) for span in spans])

    @staticmethod
    def _scrub(span: ReadableSpan) -> ReadableSpan:
        return ReadableSpan(
            name=span.name,
            context=span.context,
            parent=span.parent,
            resource=span.resource,
            attributes=_kept(span.attributes),
            events=[Event(e.name, _kept(e.attributes), e.timestamp) for e in span.events],
            links=span.links,
            kind=span.kind,
            status=Status(span.status.status_code),
            start_time=span.start_time,
            end_time=span.end_time,
            instrumentation_scope=span.instrumentation_scope,
        )

    def shutdown(self) -> None:
        self._inner.shutdown()

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return self._inner.force_flush(timeout_millis)


def _exporter(name: str) -> SpanExporter:
    if name == "otlp":
        protocol = os.environ.get("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL") or os.environ.get(
            "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"
        )
        name = {"http/protobuf": "otlp_proto_http", "grpc": "otlp_proto_grpc"}.get(protocol.strip(), "")
    found = entry_points(group="opentelemetry_traces_exporter", name=name) if name else ()
    if not found:
        raise RuntimeError(
            "OTEL_TRACES_EXPORTER / OTEL_EXPORTER_OTLP_PROTOCOL name an exporter not installed"
        )
    exporter = next(iter(found)).load()()
    assert isinstance(exporter, SpanExporter)
    return exporter


def start_tracing() -> TracerProvider | None:
    wanted = os.environ.get("OTEL_TRACES_EXPORTER", "").strip().lower()
    if wanted in {"", "none"} or os.environ.get("OTEL_SDK_DISABLED", "").lower() == "true":
        return None
    resource = Resource.create()
    if str(resource.attributes.get(SERVICE_NAME, "")).startswith("unknown_service"):
        resource = resource.merge(Resource({SERVICE_NAME: "bulwark-engine"}))
    provider = TracerProvider(resource=resource, shutdown_on_exit=False)
    for name in (part.strip() for part in wanted.split(",") if part.strip()):
        provider.add_span_processor(BatchSpanProcessor(_ContentFree(_exporter(name))))
    return provider


def instrument(app: FastAPI, provider: TracerProvider | None) -> None:
    if provider is not None:
        FastAPIInstrumentor.instrument_app(
            app, tracer_provider=provider, excluded_urls="/health,/metrics", exclude_spans=["receive", "send"]
        )
