"""Retry rules of the forward stage over a pool of three replicas.

Each replica is an ``EngineClient`` over ``httpx.MockTransport``: the network is replaced at exactly the
transport seam, because these tests need a replica to refuse connections, break mid-stream or answer 429
on demand; the pool, router and forward stage are the real ones (the real-engine kill test is in
``test_pool_e2e.py``).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable

import httpx
import pytest

from gateway.errors import BulwarkError
from gateway.pipeline.context import RequestContext
from gateway.pipeline.stage import UpstreamReply
from gateway.upstream.client import EngineClient
from gateway.upstream.forward import ForwardStage
from gateway.upstream.pools import UpstreamPools

pytestmark = pytest.mark.anyio
Handler = Callable[[httpx.Request], httpx.Response]
ANSWER = {"choices": [{"message": {"role": "assistant", "content": "Paris."}}], "usage": {"prompt_tokens": 3}}


def chunk(text: str) -> bytes:
    return b"data: " + json.dumps({"choices": [{"delta": {"content": text}}]}).encode() + b"\n\n"


class BreaksAfter(httpx.AsyncByteStream):
    def __init__(self, parts: list[bytes]) -> None:
        self._parts = parts

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for part in self._parts:
            yield part
        raise httpx.ReadError("connection reset by peer")


def refuses(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("connection refused", request=request)


def answers(request: httpx.Request) -> httpx.Response:
    if json.loads(request.content or b"{}").get("stream"):
        return httpx.Response(200, content=chunk("Par") + chunk("is.") + b"data: [DONE]\n\n")
    return httpx.Response(200, json=ANSWER)


def busy(_: httpx.Request) -> httpx.Response:
    return httpx.Response(429, json={"error": {"message": "queue full", "type": "rate_limit_error"}})


def bad_request(_: httpx.Request) -> httpx.Response:
    return httpx.Response(400, json={"error": {"message": "bad", "type": "invalid_request_error"}})


def dies_before_first_event(_: httpx.Request) -> httpx.Response:
    return httpx.Response(200, stream=BreaksAfter([]))


def dies_after_first_event(_: httpx.Request) -> httpx.Response:
    return httpx.Response(200, stream=BreaksAfter([chunk("Par")]))


class Harness:
    def __init__(self, handlers: list[Handler]) -> None:
        self.calls = [0] * len(handlers)
        clients = [
            EngineClient(f"http://10.0.0.{i + 1}:8001", timeout_s=5, transport=self._counted(i, handler))
            for i, handler in enumerate(handlers)
        ]
        self.pools = UpstreamPools.from_clients({"default": clients})
        self.stage = ForwardStage(self.pools)
        self.pool = self.pools.pool("default")

    def _counted(self, index: int, handler: Handler) -> httpx.MockTransport:
        def counted(request: httpx.Request) -> httpx.Response:
            self.calls[index] += 1
            return handler(request)

        return httpx.MockTransport(counted)

    async def send(self, stream: bool = False) -> UpstreamReply:
        ctx = RequestContext(request_id="r", endpoint="chat.completions", stream=stream)
        ctx.body = {
            "model": "m",
            "messages": [{"role": "user", "content": "capital of France?"}],
            "stream": stream,
        }
        ctx.affinity_key = None
        # Least in-flight with everything idle takes replicas in turn: start at replica 0.
        return await self.stage(ctx, _no_next)

    def healthy(self) -> list[bool]:
        return [replica.load.healthy for replica in self.pool.replicas]


async def _no_next(_: RequestContext) -> UpstreamReply:
    raise AssertionError("forward is the innermost stage")


async def collect(reply: UpstreamReply) -> list[str]:
    assert reply.chunks is not None
    return [event["choices"][0]["delta"]["content"] async for event in reply.chunks]


async def test_a_refused_connection_is_retried_on_another_replica_and_marked_down() -> None:
    harness = Harness([refuses, answers, answers])
    reply = await harness.send()
    assert reply.body == ANSWER
    assert harness.calls[0] == 1 and sum(harness.calls[1:]) == 1
    assert harness.healthy() == [False, True, True]
    assert all(count == 0 for count in harness.pool.in_flight_counts().values())


async def test_a_stream_that_dies_before_its_first_event_is_retried() -> None:
    harness = Harness([dies_before_first_event, answers, answers])
    assert await collect(await harness.send(stream=True)) == ["Par", "is."]
    assert harness.healthy()[0] is False


async def test_a_stream_is_never_retried_after_its_first_event() -> None:
    harness = Harness([dies_after_first_event, answers, answers])
    reply = await harness.send(stream=True)
    assert reply.chunks is not None
    received: list[str] = []

    async def drain() -> None:
        assert reply.chunks is not None
        async for event in reply.chunks:
            received.append(event["choices"][0]["delta"]["content"])

    with pytest.raises(BulwarkError) as broken:
        await drain()
    assert received == ["Par"]
    assert broken.value.code == "upstream_unreachable"
    assert harness.calls == [1, 0, 0]
    assert harness.healthy()[0] is False
    assert harness.pool.in_flight_counts()["http://10.0.0.1:8001"] == 0


async def test_a_busy_replica_429_is_retried_without_marking_it_down() -> None:
    harness = Harness([busy, answers, answers])
    assert (await harness.send()).body == ANSWER
    assert harness.healthy() == [True, True, True]


async def test_the_engines_own_4xx_is_passed_through_not_retried() -> None:
    harness = Harness([bad_request, answers, answers])
    with pytest.raises(BulwarkError) as refused:
        await harness.send()
    assert refused.value.status_code == 400
    assert harness.calls == [1, 0, 0]


async def test_each_replica_is_tried_once_then_the_error_is_clear() -> None:
    harness = Harness([refuses, refuses, refuses])
    with pytest.raises(BulwarkError) as failed:
        await harness.send()
    assert (failed.value.status_code, failed.value.code) == (502, "upstream_unreachable")
    assert harness.calls == [1, 1, 1]


async def test_a_down_replica_comes_back_when_its_probe_answers() -> None:
    state = {"up": False}

    def flaky(request: httpx.Request) -> httpx.Response:
        if not state["up"]:
            raise httpx.ConnectError("refused", request=request)
        return (
            httpx.Response(200, json={"status": "ok"}) if request.url.path == "/health" else answers(request)
        )

    harness = Harness([flaky, answers, answers])
    await harness.send()
    assert harness.healthy()[0] is False
    await harness.pools.probe_all()
    assert harness.healthy()[0] is False
    state["up"] = True
    await harness.pools.probe_all()
    assert harness.healthy() == [True, True, True]
