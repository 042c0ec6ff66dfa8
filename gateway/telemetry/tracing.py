"""OpenTelemetry tracing from the standard ``OTEL_*`` variables.

The SDK reads most of them itself: ``OTEL_SERVICE_NAME`` and ``OTEL_RESOURCE_ATTRIBUTES`` (resource),
``OTEL_TRACES_SAMPLER`` / ``_ARG`` (tracer provider), ``OTEL_EXPORTER_OTLP_*`` (endpoint, headers, timeout,
certificates: the exporter), ``OTEL_BSP_*`` (batching). This module only picks the exporters named by
``OTEL_TRACES_EXPORTER`` through the SDK's own entry points. Unlike the SDK's auto-configuration, tracing
is off unless that variable names an exporter, and ``otlp`` means OTLP over HTTP/protobuf unless
``OTEL_EXPORTER_OTLP_PROTOCOL`` says otherwise: a gateway never starts exporting on its own.
"""

from __future__ import annotations

import os
from importlib.metadata import entry_points

from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter

from gateway.telemetry.scrub import ContentFreeExporter

EXPORTER_GROUP = "opentelemetry_traces_exporter"
_OTLP_BY_PROTOCOL = {"http/protobuf": "otlp_proto_http", "grpc": "otlp_proto_grpc"}


class TracingConfigError(RuntimeError):
    """An ``OTEL_*`` variable names something this installation cannot do; the message names it."""


def exporter_names(environ: dict[str, str] | os._Environ[str] = os.environ) -> list[str]:
    """Entry-point names for ``OTEL_TRACES_EXPORTER`` (comma-separated); empty when tracing is off."""
    raw = environ.get("OTEL_TRACES_EXPORTER", "").strip().lower()
    if raw in {"", "none"} or environ.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return []
    protocol = (
        environ.get("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL")
        or environ.get("OTEL_EXPORTER_OTLP_PROTOCOL")
        or "http/protobuf"
    ).strip()
    names = []
    for name in (part.strip() for part in raw.split(",") if part.strip()):
        if name == "otlp":
            if protocol not in _OTLP_BY_PROTOCOL:
                raise TracingConfigError(f"OTEL_EXPORTER_OTLP_PROTOCOL={protocol!r} is not supported")
            name = _OTLP_BY_PROTOCOL[protocol]
        names.append(name)
    return names


def _load_exporter(name: str) -> SpanExporter:
    found = entry_points(group=EXPORTER_GROUP, name=name)
    if not found:
        raise TracingConfigError(
            f"OTEL_TRACES_EXPORTER asks for {name!r}, which is not installed "
            "(Bulwark ships 'otlp' over http/protobuf and 'console')"
        )
    exporter_class = next(iter(found)).load()
    exporter = exporter_class()
    if not isinstance(exporter, SpanExporter):
        raise TracingConfigError(f"OTEL_TRACES_EXPORTER entry {name!r} is not a span exporter")
    return exporter


def start_tracing(default_service_name: str) -> TracerProvider | None:
    """A tracer provider exporting through content-free exporters, or None when tracing is off."""
    names = exporter_names()
    if not names:
        return None
    resource = Resource.create()
    if str(resource.attributes.get(SERVICE_NAME, "")).startswith("unknown_service"):
        resource = resource.merge(Resource({SERVICE_NAME: default_service_name}))
    # Not the global provider: the app owns it, passes it on, and shuts it down (flushing) at exit.
    provider = TracerProvider(resource=resource, shutdown_on_exit=False)
    for name in names:
        provider.add_span_processor(BatchSpanProcessor(ContentFreeExporter(_load_exporter(name))))
    return provider
