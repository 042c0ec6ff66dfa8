"""HTTP client for an OpenAI-compatible engine (ours, vLLM, ...). The transport is swappable so tests
can stand in for the network at exactly this seam."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx

from gateway.errors import UpstreamError, UpstreamStatusError
from gateway.tls import UpstreamTls

JsonObject = dict[str, Any]


class EngineClient:
    def __init__(
        self,
        base_url: str,
        *,
        timeout_s: float,
        transport: httpx.AsyncBaseTransport | None = None,
        tls: UpstreamTls | None = None,
    ) -> None:
        tls = tls or UpstreamTls(verify=True, headers={})
        self._http = httpx.AsyncClient(
            base_url=base_url.rstrip("/"),
            verify=tls.verify,  # the site CA (and client certificate) from gateway.tls
            headers=tls.headers,  # the engine's bearer token, when it requires one
            timeout=httpx.Timeout(timeout_s, connect=5.0),
            transport=transport,
            limits=httpx.Limits(max_connections=None, max_keepalive_connections=64),
        )

    async def aclose(self) -> None:
        await self._http.aclose()

    async def get_json(self, path: str) -> JsonObject:
        response = await self._send("GET", path, None)
        return await _json_or_raise(response)

    async def post_json(self, path: str, body: JsonObject) -> JsonObject:
        response = await self._send("POST", path, body)
        return await _json_or_raise(response)

    async def post_stream(self, path: str, body: JsonObject) -> AsyncIterator[JsonObject]:
        """Start a streamed completion. Errors before the first byte raise here, with the engine's status."""
        response = await self._send("POST", path, body)
        if response.status_code >= 400:
            await _json_or_raise(response)
        return _sse_events(response)

    async def is_healthy(self) -> bool:
        try:
            response = await self._http.get("/health", timeout=2.0)
        except httpx.HTTPError:
            return False
        return response.status_code == 200

    async def _send(self, method: str, path: str, body: JsonObject | None) -> httpx.Response:
        request = self._http.build_request(method, path, json=body)
        try:
            return await self._http.send(request, stream=True)
        except httpx.HTTPError as error:
            raise UpstreamError(
                "The inference engine could not be reached.", code="upstream_unreachable"
            ) from error


async def _json_or_raise(response: httpx.Response) -> JsonObject:
    try:
        await response.aread()
    finally:
        await response.aclose()
    try:
        payload = response.json()
    except ValueError:
        payload = None
    if not isinstance(payload, dict):
        raise UpstreamError("The inference engine sent an invalid response.")
    if 400 <= response.status_code < 500:
        raise UpstreamStatusError(response.status_code, payload)
    if response.status_code >= 500:
        raise UpstreamError("The inference engine failed to answer.", code="upstream_failed")
    return payload


async def _sse_events(response: httpx.Response) -> AsyncIterator[JsonObject]:
    try:
        async for line in response.aiter_lines():
            if not line.startswith("data:"):
                continue
            data = line[5:].strip()
            if data == "[DONE]":
                return
            event = json.loads(data)
            if isinstance(event, dict) and "error" in event:
                raise UpstreamError("The inference engine failed mid-stream.", code="upstream_failed")
            yield event
    except httpx.HTTPError as error:
        raise UpstreamError("The inference engine connection broke mid-stream.") from error
    finally:
        await response.aclose()
