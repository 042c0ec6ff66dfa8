"""The HTTP transport to the engines, observed: in-flight requests and errors per upstream, and (when
tracing is on) a client span that carries W3C ``traceparent`` to the engine.

It sits at the client's transport seam, so however the upstream client pools and routes, every request
to an engine passes through it. A request counts as in flight until its response body is closed.
"""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator, Callable

import httpx
from opentelemetry.instrumentation.httpx import AsyncOpenTelemetryTransport
from opentelemetry.sdk.trace import TracerProvider

from gateway.telemetry.metrics import GatewayMetrics
from gateway.upstream.transport import AiohttpTransport


def upstream_label(url: httpx.URL) -> str:
    """Scheme, host and port only: an upstream's identity without paths, queries or credentials."""
    port = f":{url.port}" if url.port is not None else ""
    return f"{url.scheme}://{url.host}{port}"


class _CountedStream(httpx.AsyncByteStream):
    """The response body; closing it (however the reader ends) releases the in-flight count once."""

    def __init__(self, inner: httpx.AsyncByteStream, release: Callable[[], None]) -> None:
        self._inner = inner
        self._release: Callable[[], None] | None = release

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for part in self._inner:
            yield part

    async def aclose(self) -> None:
        try:
            await self._inner.aclose()
        finally:
            release, self._release = self._release, None
            if release is not None:
                release()


class ObservedTransport(httpx.AsyncBaseTransport):
    def __init__(self, inner: httpx.AsyncBaseTransport, metrics: GatewayMetrics) -> None:
        self._inner = inner
        self._metrics = metrics

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        upstream = upstream_label(request.url)
        in_flight = self._metrics.upstream_in_flight.labels(upstream)
        in_flight.inc()
        try:
            response = await self._inner.handle_async_request(request)
        except Exception as error:
            in_flight.dec()
            self._metrics.upstream_errors.labels(upstream, type(error).__name__).inc()
            raise
        if response.status_code >= 500:
            self._metrics.upstream_errors.labels(upstream, "status_5xx").inc()
        assert isinstance(response.stream, httpx.AsyncByteStream)
        response.stream = _CountedStream(response.stream, in_flight.dec)
        return response

    async def aclose(self) -> None:
        await self._inner.aclose()


def upstream_transport(
    metrics: GatewayMetrics, tracer_provider: TracerProvider | None, verify: ssl.SSLContext | bool = True
) -> httpx.AsyncBaseTransport:
    # ``verify`` is the site CA context from gateway.tls: a client given this transport ignores its own.
    transport: httpx.AsyncBaseTransport = AiohttpTransport(verify=verify)
    if tracer_provider is not None:
        transport = AsyncOpenTelemetryTransport(transport, tracer_provider=tracer_provider)
    return ObservedTransport(transport, metrics)
