"""The gateway-overhead bench's load: the request one arm sends, and the closed and open loops.

One request is the same prepared bytes every time, sent over `overhead_http`'s keep-alive connections.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field

from overhead_http import ConnectionPool


@dataclass(frozen=True)
class Target:
    """Where one arm sends its requests, and the exact bytes of one request per mode."""

    port: int
    requests: dict[str, bytes]  # mode ("nonstream" / "stream") -> a whole HTTP request

    @classmethod
    def build(cls, port: int, api_key: str | None, prompt: str) -> Target:
        requests = {}
        for mode in ("nonstream", "stream"):
            body: dict[str, object] = {
                "model": "stub-model",
                "messages": [{"role": "user", "content": prompt}],
                "max_tokens": 32,
            }
            if mode == "stream":
                body |= {"stream": True, "stream_options": {"include_usage": True}}
            payload = json.dumps(body).encode()
            auth = f"Authorization: Bearer {api_key}\r\n" if api_key else ""
            head = (
                f"POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{auth}"
                f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n\r\n"
            )
            requests[mode] = head.encode() + payload
        return cls(port, requests)


@dataclass
class Block:
    """What one arm did in one block of one cell: per-request latencies and the wall time it took."""

    latencies_s: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)  # why -> how many times
    wall_s: float = 0.0
    send_span_s: float = 0.0  # open loop: first send to last send

    def record(self, error: str | None, latency_s: float) -> None:
        if error is None:
            self.latencies_s.append(latency_s)
        else:
            self.errors[error] = self.errors.get(error, 0) + 1


async def closed_loop(
    pool: ConnectionPool, request: bytes, stream: bool, count: int, concurrency: int
) -> Block:
    """`concurrency` clients, each sending its next request as soon as the last one is answered."""
    block, remaining = Block(), [count]

    async def client() -> None:
        while remaining[0] > 0:
            remaining[0] -= 1
            started = time.perf_counter()
            block.record(await pool.send(request, stream), time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(min(concurrency, count))))
    block.wall_s = time.perf_counter() - started
    return block


async def open_loop(pool: ConnectionPool, request: bytes, stream: bool, count: int, rate: float) -> Block:
    """`count` requests at fixed intervals of 1/rate, whether or not earlier ones were answered. Latency
    counts from each request's scheduled time, so a gateway that falls behind pays for its queue."""
    block, tasks = Block(), []

    async def one(due: float) -> None:
        block.record(await pool.send(request, stream), time.perf_counter() - due)

    started = time.perf_counter()
    for index in range(count):
        due = started + index / rate
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        tasks.append(asyncio.create_task(one(due)))
    block.send_span_s = time.perf_counter() - started
    await asyncio.gather(*tasks)
    block.wall_s = time.perf_counter() - started
    return block
