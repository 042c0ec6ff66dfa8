"""The aiohttp transport against a real socket server that shuts a kept-alive connection as it is being
reused (what an engine's idle timeout does at the wrong moment): the request is sent again on a
connection of its own, once, and the caller never sees the race. A server that refuses connections
still surfaces as httpx's ConnectError, which the engine client turns into ``upstream_unreachable``."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from gateway.upstream.transport import AiohttpTransport
from tests.servers import free_port

ANSWER = b'{"ok": true}'


class ClosesReusedConnections:
    """Answers the first request on each connection (keep-alive); closes on the second, unanswered."""

    def __init__(self) -> None:
        self.requests: list[bytes] = []

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        answered = False
        while head := await reader.readuntil(b"\r\n\r\n"):
            self.requests.append(head)
            length = next(
                (
                    int(line.split(b":")[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length")
                ),
                0,
            )
            await reader.readexactly(length)
            if answered:
                break  # the reused connection: shut without a byte of answer
            writer.write(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                b"Content-Length: %d\r\nConnection: keep-alive\r\n\r\n%s" % (len(ANSWER), ANSWER)
            )
            await writer.drain()
            answered = True
        writer.close()


def _request(port: int) -> httpx.Request:
    return httpx.Request(
        "POST", f"http://127.0.0.1:{port}/v1/chat/completions", content=b"{}", extensions={"timeout": {}}
    )


def test_a_connection_shut_as_it_is_reused_is_retried_once_on_a_new_one() -> None:
    server = ClosesReusedConnections()

    async def run() -> list[int]:
        port = free_port()
        listening = await asyncio.start_server(server.handle, "127.0.0.1", port)
        transport = AiohttpTransport()
        statuses = []
        try:
            for _ in range(2):
                response = await transport.handle_async_request(_request(port))
                await response.aread()
                statuses.append(response.status_code)
        finally:
            await transport.aclose()
            listening.close()
        return statuses

    assert asyncio.run(run()) == [200, 200]
    # First connection: answered, then shut on reuse; the second try came on its own connection.
    assert len(server.requests) == 3
    assert b"connection: close" in server.requests[2].lower()


def test_a_refused_connection_is_httpx_connect_error() -> None:
    async def run() -> None:
        transport = AiohttpTransport()
        try:
            await transport.handle_async_request(_request(free_port()))
        finally:
            await transport.aclose()

    with pytest.raises(httpx.ConnectError):
        asyncio.run(run())
