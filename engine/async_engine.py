"""Runs the engine's step loop on its own thread and streams each request's outputs to asyncio."""

from __future__ import annotations

import asyncio
import itertools
import threading
from collections import deque
from collections.abc import AsyncGenerator, Callable
from typing import Protocol

from engine.errors import EngineUnavailableError, QueueFullError
from engine.sampling_params import SamplingParams
from engine.sequence import RequestOutput, Sequence


class EngineCore(Protocol):
    """The synchronous engine the thread drives; only that thread ever touches it."""

    def add_sequence(self, seq: Sequence) -> None: ...
    def abort(self, request_id: str) -> None: ...
    def has_work(self) -> bool: ...
    def num_waiting(self) -> int: ...
    def step(self) -> list[RequestOutput]: ...


class AsyncEngine:
    """Thread-owning front of an EngineCore: admission, per-request queues, cancellation."""

    def __init__(self, core: EngineCore, max_waiting: int) -> None:
        self._core = core
        self._max_waiting = max_waiting
        self._commands: deque[Callable[[], None]] = deque()
        self._wakeup = threading.Condition()
        self._queues: dict[str, tuple[asyncio.AbstractEventLoop, asyncio.Queue[RequestOutput]]] = {}
        self._ids = itertools.count()
        self._stopping = False
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    @property
    def is_running(self) -> bool:
        return self._thread is not None and self._thread.is_alive() and self._error is None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="engine-step-loop", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        with self._wakeup:
            self._stopping = True
            self._wakeup.notify()
        if self._thread is not None:
            self._thread.join(timeout=30)

    def generate(
        self, prompt_ids: list[int], params: SamplingParams, salt: str = ""
    ) -> AsyncGenerator[RequestOutput, None]:
        """Admit a request now (or refuse it); outputs arrive as the returned iterator is read."""
        if not self.is_running:
            raise EngineUnavailableError("the engine is not running")
        if self._core.num_waiting() + len(self._commands) >= self._max_waiting:
            raise QueueFullError("the engine's queue is full, retry shortly")
        request_id = f"req-{next(self._ids)}"
        seq = Sequence(request_id=request_id, token_ids=list(prompt_ids), params=params, salt=salt)
        return self._stream(seq)

    async def _stream(self, seq: Sequence) -> AsyncGenerator[RequestOutput, None]:
        # The request enters the engine only once someone reads it, so an unread
        # iterator can never hold KV blocks; leaving early aborts it at once.
        queue: asyncio.Queue[RequestOutput] = asyncio.Queue()
        self._queues[seq.request_id] = (asyncio.get_running_loop(), queue)
        self._submit(lambda: self._core.add_sequence(seq))
        finished = False
        try:
            while not finished:
                output = await queue.get()
                finished = output.finished
                yield output
        finally:
            self._queues.pop(seq.request_id, None)
            if not finished:
                self._submit(lambda: self._core.abort(seq.request_id))

    def _submit(self, command: Callable[[], None]) -> None:
        with self._wakeup:
            self._commands.append(command)
            self._wakeup.notify()

    def _run(self) -> None:
        try:
            while True:
                with self._wakeup:
                    while not self._stopping and not self._commands and not self._core.has_work():
                        self._wakeup.wait()
                    if self._stopping:
                        return
                while self._commands:
                    self._commands.popleft()()
                if self._core.has_work():
                    self._deliver(self._core.step())
        except BaseException as exc:
            self._error = exc
            self._fail_all()
            raise

    def _deliver(self, outputs: list[RequestOutput]) -> None:
        for output in outputs:
            target = self._queues.get(output.request_id)
            if target is not None:
                loop, queue = target
                loop.call_soon_threadsafe(queue.put_nowait, output)

    def _fail_all(self) -> None:
        for request_id in list(self._queues):
            self._deliver([RequestOutput(request_id, [], True, "error", 0, 0)])
