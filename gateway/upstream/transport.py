"""The network under the engine client: aiohttp's connection pool and C parser behind httpx's transport
interface.

``EngineClient`` speaks ``httpx.Request`` / ``httpx.Response`` to an ``httpx.AsyncBaseTransport``; that
interface is the seam tests replace (``httpx.MockTransport``) and telemetry wraps (in-flight counts,
``traceparent``). Below it, httpx's own pool (httpcore) cost about 2 ms of CPU per request and aiohttp
about 0.35 ms, measured side by side against one stub upstream (issue 12), so this transport hands each request to an aiohttp session and
maps aiohttp's failures onto httpx's exception types, which the client already turns into OpenAI-style
errors. Proxy variables are ignored (aiohttp's ``trust_env`` stays off); redirects are not followed.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator

import aiohttp
import httpx

# An idle connection to an engine is kept this long for the next request: under uvicorn's 5 s default
# (our engine, vLLM), so the pool seldom reuses a connection the engine is closing at that moment.
KEEPALIVE_S = 4.0


class _AiohttpBody(httpx.AsyncByteStream):
    """An engine's response body; closing it returns a fully read connection to the pool."""

    def __init__(self, response: aiohttp.ClientResponse, request: httpx.Request) -> None:
        self._response = response
        self._request = request

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for part in self._response.content.iter_any():
                yield part
        except TimeoutError as error:
            raise httpx.ReadTimeout("engine went silent", request=self._request) from error
        except aiohttp.ClientError as error:
            raise httpx.ReadError("engine connection broke", request=self._request) from error

    async def aclose(self) -> None:
        self._response.release()


def _mapped(error: aiohttp.ClientError | TimeoutError, request: httpx.Request) -> httpx.HTTPError:
    """aiohttp's failure as the httpx exception the engine client turns into an OpenAI-style error."""
    if isinstance(error, aiohttp.ConnectionTimeoutError):
        return httpx.ConnectTimeout("engine did not accept the connection", request=request)
    if isinstance(error, TimeoutError):
        return httpx.ReadTimeout("engine did not answer", request=request)
    if isinstance(error, aiohttp.ClientConnectorError):
        return httpx.ConnectError("engine refused the connection", request=request)
    return httpx.RemoteProtocolError("engine broke the exchange", request=request)


class AiohttpTransport(httpx.AsyncBaseTransport):
    """One aiohttp session per event loop (created on first use: a session belongs to its loop)."""

    def __init__(self, verify: ssl.SSLContext | bool = True) -> None:
        self._verify = verify
        self._session: aiohttp.ClientSession | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        try:
            try:
                response = await self._send(request)
            except aiohttp.ServerDisconnectedError:
                # Closed before any answer: a kept-alive connection the engine shut as it was being
                # reused, so the engine never saw the request. Once more, on a connection of its own.
                response = await self._send(request, fresh=True)
        except (aiohttp.ClientError, TimeoutError) as error:
            raise _mapped(error, request) from error
        return httpx.Response(
            response.status,
            headers=response.raw_headers,
            stream=_AiohttpBody(response, request),
            request=request,
        )

    async def _send(self, request: httpx.Request, fresh: bool = False) -> aiohttp.ClientResponse:
        timeouts = request.extensions.get("timeout", {})
        headers = request.headers.multi_items()
        if fresh:  # not returned to the pool: a connection opened for this one request
            headers = [*headers, ("Connection", "close")]
        return await self._open_session().request(
            request.method,
            str(request.url),
            data=request.content,
            headers=headers,
            allow_redirects=False,
            timeout=aiohttp.ClientTimeout(
                sock_connect=timeouts.get("connect"), sock_read=timeouts.get("read")
            ),
        )

    def _open_session(self) -> aiohttp.ClientSession:
        loop = asyncio.get_running_loop()
        if self._session is None or self._session.closed or self._loop is not loop:
            connector = aiohttp.TCPConnector(limit=0, ssl=self._verify, keepalive_timeout=KEEPALIVE_S)
            # The engine's bytes as sent: httpx decodes any content-encoding itself, once.
            self._session = aiohttp.ClientSession(
                connector=connector,
                auto_decompress=False,
                skip_auto_headers=("User-Agent", "Accept-Encoding"),
            )
            self._loop = loop
        return self._session

    async def aclose(self) -> None:
        if self._session is not None and self._loop is asyncio.get_running_loop():
            await self._session.close()
        self._session = None
