"""HTTP client for one OpenAI-compatible engine (ours, vLLM, SGLang, llama.cpp server). It hands
``httpx.Request`` objects straight to an ``httpx.AsyncBaseTransport`` (by default ``AiohttpTransport``),
without httpx's client layers (redirects, cookies, auth), which the gateway never uses; the transport is
the seam tests stand in for the network at, and telemetry wraps.

Every answer is bounded: at most ``max_response_bytes`` (502 beyond) and ``total_timeout_s`` from the
request to its last byte (504 beyond), so a runaway or hostile engine cannot hold a gateway's memory or a
client's connection without end. Proxy environment variables are ignored: upstream traffic goes straight
to the allow-listed address, never through a proxy someone set in the environment.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from typing import Any

import anyio
import httpx

from gateway.errors import UpstreamError, UpstreamStatusError, UpstreamTimeout
from gateway.tls import UpstreamTls
from gateway.upstream.transport import AiohttpTransport

JsonObject = dict[str, Any]
CONNECT_TIMEOUT_S = 5.0
PROBE_TIMEOUT_S = 2.0
PROBE_PATHS = ("/health", "/v1/models")  # the second for servers without /health


class ReplicaUnreachable(UpstreamError):
    """The connection to the engine failed or broke: the replica is marked down."""

    code = "upstream_unreachable"


class ResponseTooLarge(UpstreamError):
    code = "upstream_response_too_large"


class EngineClient:
    def __init__(
        self,
        base_url: str,
        *,
        timeout_s: float,
        total_timeout_s: float = 900.0,
        max_response_bytes: int = 16 * 1024 * 1024,
        transport: httpx.AsyncBaseTransport | None = None,
        tls: UpstreamTls | None = None,
    ) -> None:
        tls = tls or UpstreamTls(verify=True, headers={})
        self.base_url = base_url.rstrip("/")
        self._total_timeout_s = total_timeout_s
        self._max_bytes = max_response_bytes
        # The engine's bearer token, when it requires one; TLS (site CA, client certificate) lives in the
        # transport: a transport passed in must carry the same ``verify`` itself.
        self._headers = tls.headers
        self._timeouts = _timeouts(timeout_s)
        self._transport = transport if transport is not None else AiohttpTransport(verify=tls.verify)

    async def aclose(self) -> None:
        await self._transport.aclose()

    async def get_json(self, path: str) -> JsonObject:
        return await self._json_exchange("GET", path, None)

    async def post_json(self, path: str, body: JsonObject) -> JsonObject:
        return await self._json_exchange("POST", path, body)

    async def post_stream(self, path: str, body: JsonObject) -> AsyncIterator[JsonObject]:
        """Start a streamed completion. Errors before the first byte raise here, with the engine's status."""
        deadline = time.monotonic() + self._total_timeout_s
        with _bounded_by(deadline):
            response = await self._send("POST", path, body)
            if response.status_code >= 400:
                await _json_or_raise(response, await self._read_bounded(response))
        return self._sse_events(response, deadline)

    async def is_healthy(self) -> bool:
        for path in PROBE_PATHS:
            try:
                with anyio.fail_after(PROBE_TIMEOUT_S):
                    response = await self._exchange("GET", path, None, _timeouts(PROBE_TIMEOUT_S))
                    await response.aclose()
            except (httpx.HTTPError, TimeoutError):
                return False
            if response.status_code != 404:
                return response.status_code == 200
        return False

    async def _json_exchange(self, method: str, path: str, body: JsonObject | None) -> JsonObject:
        with _bounded_by(time.monotonic() + self._total_timeout_s):
            response = await self._send(method, path, body)
            return await _json_or_raise(response, await self._read_bounded(response))

    async def _send(self, method: str, path: str, body: JsonObject | None) -> httpx.Response:
        try:
            return await self._exchange(method, path, body, self._timeouts)
        except httpx.TimeoutException as error:
            if isinstance(error, httpx.ConnectTimeout):
                raise _unreachable() from error
            raise _timed_out() from error
        except httpx.HTTPError as error:
            raise _unreachable() from error

    async def _exchange(
        self, method: str, path: str, body: JsonObject | None, timeouts: dict[str, float]
    ) -> httpx.Response:
        headers = self._headers
        content = None
        if body is not None:
            content = json.dumps(body, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()
            headers = {**headers, "Content-Type": "application/json"}
        request = httpx.Request(
            method, self.base_url + path, content=content, headers=headers, extensions={"timeout": timeouts}
        )
        response = await self._transport.handle_async_request(request)
        response.request = request
        return response

    async def _read_bounded(self, response: httpx.Response) -> bytes:
        try:
            declared = int(response.headers.get("content-length", "0"))
            if declared > self._max_bytes:
                raise _too_large()
            data = bytearray()
            async for piece in response.aiter_bytes():
                data += piece
                if len(data) > self._max_bytes:
                    raise _too_large()
            return bytes(data)
        except httpx.TimeoutException as error:
            raise _timed_out() from error
        except httpx.HTTPError as error:
            raise _unreachable() from error
        finally:
            await response.aclose()

    async def _sse_events(self, response: httpx.Response, deadline: float) -> AsyncIterator[JsonObject]:
        """The stream's ``data:`` events. Bytes are split into lines here, and the deadline is armed once
        per read (one read often carries several events), not once per line."""
        received = 0
        pieces = response.aiter_bytes()
        pending = b""
        try:
            while True:
                with _bounded_by(deadline):
                    piece = await anext(pieces, None)
                if piece is None:
                    return
                *lines, pending = (pending + piece).split(b"\n")
                if received + len(pending) > self._max_bytes:
                    raise _too_large()  # one unfinished line past the bound
                for line in lines:
                    received += len(line) + 1  # counted as consumed: events before the bound still go out
                    if received > self._max_bytes:
                        raise _too_large()
                    if not line.startswith(b"data:"):
                        continue
                    data = line[5:].strip()
                    if data == b"[DONE]":
                        return
                    event = json.loads(data)
                    if isinstance(event, dict) and "error" in event:
                        raise UpstreamError("The inference engine failed mid-stream.", code="upstream_failed")
                    yield event
        except httpx.TimeoutException as error:
            raise _timed_out() from error
        except httpx.HTTPError as error:
            raise ReplicaUnreachable("The inference engine connection broke mid-stream.") from error
        finally:
            await response.aclose()


@contextmanager
def _bounded_by(deadline: float) -> Iterator[None]:
    """Cancel the awaited work at ``deadline`` and raise the OpenAI-style 504."""
    with anyio.move_on_after(max(0.0, deadline - time.monotonic())) as scope:
        yield
    if scope.cancelled_caught:
        raise _timed_out()


async def _json_or_raise(response: httpx.Response, content: bytes) -> JsonObject:
    try:
        payload = json.loads(content)
    except ValueError:
        payload = None
    if not isinstance(payload, dict):
        raise UpstreamError("The inference engine sent an invalid response.")
    if 400 <= response.status_code < 500:
        raise UpstreamStatusError(response.status_code, payload)
    if response.status_code >= 500:
        raise UpstreamError("The inference engine failed to answer.", code="upstream_failed")
    return payload


def _timeouts(seconds: float) -> dict[str, float]:
    """httpx's per-request timeout extension: connecting has its own short bound, the rest ``seconds``."""
    return {"connect": min(CONNECT_TIMEOUT_S, seconds), "read": seconds, "write": seconds, "pool": seconds}


def _unreachable() -> ReplicaUnreachable:
    return ReplicaUnreachable("The inference engine could not be reached.")


def _timed_out() -> UpstreamTimeout:
    return UpstreamTimeout("The inference engine did not answer in time.")


def _too_large() -> ResponseTooLarge:
    return ResponseTooLarge("The inference engine's answer exceeded the gateway's size limit.")
