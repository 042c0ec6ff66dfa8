"""The gateway-overhead bench's HTTP/1.1 client: keep-alive connections as bare asyncio protocols.

On two shared cores every microsecond the client spends is one the servers under test do not get, so a
connection does the least it can: it buffers what arrives and checks only whether the answer is complete
(Content-Length reached, or the last chunk of a chunked body). No coroutine wakes up per SSE event.
"""

from __future__ import annotations

import asyncio
from typing import cast

REQUEST_TIMEOUT_S = 30.0
LAST_CHUNK = b"\r\n0\r\n\r\n"  # an SSE event's data ends in a blank line, never in "\r\n0\r\n"


class Connection(asyncio.Protocol):
    """One keep-alive connection; `exchange` sends a request and waits for the whole answer."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.answered: asyncio.Future[None] | None = None
        self.body_start = -1
        self.content_length: int | None = None  # None: chunked

    @classmethod
    async def open(cls, port: int) -> Connection:
        _, connection = await asyncio.get_running_loop().create_connection(cls, "127.0.0.1", port)
        return connection

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's TCP transport does not subclass it

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if self.answered is not None and not self.answered.done() and self._complete():
            self.answered.set_result(None)

    def connection_lost(self, exc: Exception | None) -> None:
        if self.answered is not None and not self.answered.done():
            self.answered.set_exception(exc or ConnectionResetError("server closed the connection"))

    def _complete(self) -> bool:
        if self.body_start < 0:
            head_end = self.buffer.find(b"\r\n\r\n")
            if head_end < 0:
                return False
            self.body_start = head_end + 4
            head = bytes(self.buffer[:head_end]).lower()
            if b"transfer-encoding: chunked" not in head:
                length = head.partition(b"content-length:")[2].split(b"\r\n", 1)[0]
                self.content_length = int(length or b"0")
        if self.content_length is None:
            return self.buffer.endswith(LAST_CHUNK) or self.buffer[self.body_start :] == b"0\r\n\r\n"
        return len(self.buffer) >= self.body_start + self.content_length

    async def exchange(self, request: bytes) -> tuple[int, bytes]:
        """Send `request`; the status and the raw body (still chunk-framed when chunked)."""
        assert self.transport is not None
        self.buffer.clear()
        self.body_start, self.content_length = -1, None
        self.answered = asyncio.get_running_loop().create_future()
        self.transport.write(request)
        async with asyncio.timeout(REQUEST_TIMEOUT_S):
            await self.answered
        return int(self.buffer[9:12]), bytes(self.buffer[self.body_start :])

    @property
    def is_open(self) -> bool:
        return self.transport is not None and not self.transport.is_closing()

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()


class ConnectionPool:
    """Idle keep-alive connections to one port; a connection that failed is closed, not reused."""

    def __init__(self, port: int) -> None:
        self.port = port
        self._idle: list[Connection] = []

    async def send(self, request: bytes, stream: bool) -> str | None:
        """One request; None when it answered 200 with a whole body (a stream ends with [DONE]), else why not."""
        try:
            connection = self._reusable() or await Connection.open(self.port)
        except OSError as error:
            return type(error).__name__
        try:
            status, body = await connection.exchange(request)
        except (
            OSError,
            ValueError,
            TimeoutError,
            RuntimeError,
        ) as error:  # RuntimeError: uvloop, closed transport
            connection.close()
            return type(error).__name__
        self._idle.append(connection)
        if status != 200:
            return f"HTTP {status}: {body[:200].decode(errors='replace')}"
        complete = b"data: [DONE]" in body[-40:] if stream else body.endswith((b"}", b"}" + LAST_CHUNK))
        return None if complete else f"incomplete body: {body[-200:].decode(errors='replace')}"

    def _reusable(self) -> Connection | None:
        """An idle connection the server has not closed (uvicorn closes one idle for 5 s)."""
        while self._idle:
            connection = self._idle.pop()
            if connection.is_open:
                return connection
        return None

    def close(self) -> None:
        for connection in self._idle:
            connection.close()
        self._idle.clear()
