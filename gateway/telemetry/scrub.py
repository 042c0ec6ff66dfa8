"""The last line of defence before a span leaves the process: only allow-listed attributes go out.

Instrumentation libraries record more than we want (user agents, query strings, captured headers if an
operator turns that on, exception messages and stack traces that may quote a prompt). Every exporter is
wrapped in ``ContentFreeExporter``, which rebuilds each span keeping only attributes whose names are on
the list below, URLs without their query, and status descriptions that are plain error codes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from opentelemetry.sdk.trace import Event, ReadableSpan
from opentelemetry.sdk.trace.export import SpanExporter, SpanExportResult
from opentelemetry.trace import Status
from opentelemetry.util.types import Attributes, AttributeValue

ALLOWED_PREFIXES = ("bulwark.",)
ALLOWED_ATTRIBUTES = frozenset(
    {
        "http.method",
        "http.request.method",
        "http.scheme",
        "url.scheme",
        "http.route",
        "url.path",
        "http.target",
        "http.url",
        "url.full",
        "http.flavor",
        "network.protocol.version",
        "http.status_code",
        "http.response.status_code",
        "server.address",
        "server.port",
        "net.host.port",
        "net.peer.name",
        "net.peer.port",
        "error.type",
        "exception.type",
        "exception.escaped",
    }
)
_URL_ATTRIBUTES = frozenset({"http.target", "http.url", "url.full"})
_ERROR_CODE = re.compile(r"^[a-z0-9_]{1,64}$")


def _allowed(name: str) -> bool:
    return name in ALLOWED_ATTRIBUTES or name.startswith(ALLOWED_PREFIXES)


def _without_query(value: AttributeValue) -> AttributeValue:
    return value.split("?", 1)[0].split("#", 1)[0] if isinstance(value, str) else value


def scrub_attributes(attributes: Attributes) -> dict[str, AttributeValue]:
    kept: dict[str, AttributeValue] = {}
    for name, value in (attributes or {}).items():
        if _allowed(name):
            kept[name] = _without_query(value) if name in _URL_ATTRIBUTES else value
    return kept


def scrub_span(span: ReadableSpan) -> ReadableSpan:
    description = span.status.description
    status = (
        span.status
        if description is None or _ERROR_CODE.match(description)
        else Status(span.status.status_code)
    )
    events = [Event(e.name, scrub_attributes(e.attributes), e.timestamp) for e in span.events]
    return ReadableSpan(
        name=span.name,
        context=span.context,
        parent=span.parent,
        resource=span.resource,
        attributes=scrub_attributes(span.attributes),
        events=events,
        links=span.links,
        kind=span.kind,
        status=status,
        start_time=span.start_time,
        end_time=span.end_time,
        instrumentation_scope=span.instrumentation_scope,
    )


class ContentFreeExporter(SpanExporter):
    def __init__(self, exporter: SpanExporter) -> None:
        self._exporter = exporter

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        return self._exporter.export([scrub_span(span) for span in spans])

    def shutdown(self) -> None:
        self._exporter.shutdown()

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return self._exporter.force_flush(timeout_millis)
