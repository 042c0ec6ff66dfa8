"""A fixed pool for PII analysis: bounded threads, admission, and work that stops when abandoned.

``anyio.to_thread`` with ``abandon_on_cancel`` answers a timed-out request at once but leaves its thread
running, and the next request starts another: 200 concurrent 2 MB prompts pile up threads and memory.
Here the pool has a fixed number of threads; admission counts work until it has really finished (a
timed-out job still holds its place), so past ``workers + max_waiting`` a request is refused with 429
before anything runs. A timed-out job is cancelled: dropped if it has not started, otherwise told to
stop at its next checkpoint (between texts); each text's size is bounded by the tenant's policy.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from gateway.errors import RateLimited

T = TypeVar("T")


class AnalysisCancelled(Exception):
    """The job's caller gave up; the worker stopped at a checkpoint."""


class CancelFlag:
    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    def checkpoint(self) -> None:
        if self._event.is_set():
            raise AnalysisCancelled


class AnalysisPool:
    def __init__(self, workers: int, max_waiting: int) -> None:
        self.workers = workers
        self.capacity = workers + max_waiting
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="pii-analysis")
        self._lock = threading.Lock()
        self._admitted = 0  # submitted and not yet finished (running, queued, or cancelled-but-running)

    @property
    def admitted(self) -> int:
        return self._admitted

    async def run(self, job: Callable[[CancelFlag], T], timeout_s: float) -> T:
        """Run ``job`` on the pool; 429 when full, ``TimeoutError`` (with the job stopped) past the limit."""
        with self._lock:
            if self._admitted >= self.capacity:
                raise RateLimited(
                    "PII analysis is at capacity; retry shortly.",
                    code="pii_capacity",
                    headers={"Retry-After": "1"},
                )
            self._admitted += 1
        flag = CancelFlag()
        future = self._executor.submit(job, flag)
        future.add_done_callback(lambda _: self._release())
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), timeout_s)
        except BaseException:
            # Timeout or the request went away: a queued job never starts, a running one stops at its
            # next checkpoint. Its place is freed only when its thread really returns.
            flag.cancel()
            future.cancel()
            raise

    def _release(self) -> None:
        with self._lock:
            self._admitted -= 1

    def shutdown(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
