"""Runs the full ledger verification on a fixed cadence, so the console's badge reflects a recent run
even when nobody presses "verify". Each run is appended to the ledger like an on-demand one."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

import anyio
from sqlalchemy.exc import SQLAlchemyError

logger = logging.getLogger(__name__)


class VerifySchedule:
    def __init__(self, run: Callable[[], object], every_s: float) -> None:
        self._run = run
        self._every_s = every_s
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self._every_s > 0:
            self._task = asyncio.get_running_loop().create_task(self._loop())

    async def _loop(self) -> None:
        while True:
            # The first run waits a full period too: start-up stays cheap, and short-lived processes
            # (tests, CLI-driven gateways) never append a verify record of their own.
            await asyncio.sleep(self._every_s)
            try:
                await anyio.to_thread.run_sync(self._run)
            except (SQLAlchemyError, OSError) as error:
                # The database is unavailable now; the next run tries again. The badge
                # keeps showing the last recorded run, with its time, so staleness is visible.
                logger.error("scheduled ledger verification failed: %s", type(error).__name__)

    async def aclose(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
