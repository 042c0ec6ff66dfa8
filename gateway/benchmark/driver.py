"""Sends a workload at fixed concurrency (closed loop) or at a Poisson request rate (open loop)."""

from __future__ import annotations

import asyncio
import itertools
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import httpx

from gateway.benchmark.measure import RequestResult, send
from gateway.benchmark.workloads import PlannedRequest

# An open-loop run against a server that cannot keep up would otherwise grow without bound.
MAX_OPEN_LOOP_IN_FLIGHT = 1024


@dataclass(frozen=True)
class Load:
    concurrency: int | None = None  # closed loop: this many requests always in flight
    rate: float | None = None  # open loop: Poisson arrivals, requests per second
    requests: int | None = None  # stop after this many measured requests ...
    duration_s: float | None = None  # ... or after this many seconds, whichever comes first
    warmup: int = 0  # requests sent one by one before measuring
    seed: int = 0

    def __post_init__(self) -> None:
        if (self.concurrency is None) == (self.rate is None):
            raise ValueError("give exactly one of concurrency or rate")
        if self.requests is None and self.duration_s is None:
            raise ValueError("give a request count or a duration")
        if (self.concurrency is not None and self.concurrency < 1) or (
            self.rate is not None and self.rate <= 0
        ):
            raise ValueError("concurrency and rate must be positive")

    def describe(self) -> str:
        return f"concurrency {self.concurrency}" if self.concurrency else f"{self.rate} req/s"


@dataclass
class RunClock:
    """What the run shares between its requests: its start, the in-flight count, the stop rule."""

    load: Load
    started: float = 0.0
    in_flight: int = 0
    sent: int = 0

    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def may_send(self) -> bool:
        if self.load.requests is not None and self.sent >= self.load.requests:
            return False
        return self.load.duration_s is None or self.elapsed() < self.load.duration_s


async def _one(client: httpx.AsyncClient, planned: PlannedRequest, clock: RunClock) -> RequestResult:
    clock.in_flight += 1
    try:
        return await send(client, planned, clock.elapsed(), clock.in_flight)
    finally:
        clock.in_flight -= 1


async def _closed_loop(
    client: httpx.AsyncClient,
    plan: Iterator[PlannedRequest],
    clock: RunClock,
    done: Callable[[RequestResult], None],
) -> None:
    async def worker() -> None:
        while clock.may_send():
            clock.sent += 1
            done(await _one(client, next(plan), clock))

    await asyncio.gather(*(worker() for _ in range(clock.load.concurrency or 1)))


async def _open_loop(
    client: httpx.AsyncClient,
    plan: Iterator[PlannedRequest],
    clock: RunClock,
    done: Callable[[RequestResult], None],
) -> None:
    rng = random.Random(clock.load.seed)
    tasks: set[asyncio.Task[None]] = set()
    next_at = 0.0

    async def tracked(planned: PlannedRequest) -> None:
        done(await _one(client, planned, clock))

    while clock.may_send():
        await asyncio.sleep(max(0.0, next_at - clock.elapsed()))
        if not clock.may_send():
            break
        if clock.in_flight >= MAX_OPEN_LOOP_IN_FLIGHT:
            done(
                RequestResult(
                    started_s=clock.elapsed(), in_flight_at_start=clock.in_flight, error="client_overload"
                )
            )
        else:
            task = asyncio.create_task(tracked(next(plan)))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
        clock.sent += 1
        next_at += rng.expovariate(clock.load.rate or 1.0)
    await asyncio.gather(*tasks)


async def run_load(
    client: httpx.AsyncClient,
    plan: Iterator[PlannedRequest],
    load: Load,
    on_result: Callable[[RequestResult], None],
) -> tuple[list[RequestResult], float]:
    """Returns the measured results (warm-up excluded) and the measured wall time in seconds."""
    for planned in itertools.islice(plan, load.warmup):
        await send(client, planned, 0.0, 1)
    results: list[RequestResult] = []

    def done(result: RequestResult) -> None:
        results.append(result)
        on_result(result)

    clock = RunClock(load, started=time.perf_counter())
    if load.concurrency is not None:
        await _closed_loop(client, plan, clock, done)
    else:
        await _open_loop(client, plan, clock, done)
    return results, clock.elapsed()
