"""The limits backends under test: in-process, and the real Redis at 127.0.0.1:6379."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator

import pytest
import redis.asyncio

from gateway.limits.backend import LimitBackend
from gateway.limits.memory import InProcessLimits
from gateway.limits.redis_backend import RedisLimits

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.redis)])
async def limits(request: pytest.FixtureRequest) -> AsyncIterator[LimitBackend]:
    if request.param == "memory":
        yield InProcessLimits()
        return
    # A prefix of its own: tests running side by side never share a counter.
    prefix = f"bulwark-test:{secrets.token_hex(6)}:"
    backend = RedisLimits(REDIS_URL, prefix=prefix)
    yield backend
    await backend.aclose()
    async with redis.asyncio.Redis.from_url(REDIS_URL) as client:
        keys = [key async for key in client.scan_iter(match=f"{prefix}*")]
        if keys:
            await client.delete(*keys)
