"""Reload triggers: changes under the policy directory, and SIGHUP (for sites that deploy files by
symlink swaps a file watcher can miss, or that disable watching)."""

from __future__ import annotations

import asyncio
import logging
import signal
from pathlib import Path

import anyio
from watchfiles import Change, awatch

from gateway.policy.store import PolicyStore

logger = logging.getLogger(__name__)
WATCH_STEP_MS = 100  # changes are grouped until the directory is quiet this long
# The watch thread notices shutdown only between waits; watchfiles' 5 s default held shutdown ~9 s.
STOP_CHECK_MS = 250


def is_policy_file(_change: Change, path: str) -> bool:
    name = Path(path).name
    return name.endswith((".yaml", ".yml")) and not name.startswith(".")


class PolicyReloader:
    def __init__(self, store: PolicyStore) -> None:
        self._store = store
        self._tasks: set[asyncio.Task[None]] = set()
        self._stop = asyncio.Event()
        self._signal_installed = False

    async def reload(self, actor: str) -> None:
        await anyio.to_thread.run_sync(self._store.reload, actor)

    def start(self, *, watch: bool) -> None:
        if watch:
            self._spawn(self._watch())
        try:
            asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, self._on_sighup)
            self._signal_installed = True
        except (RuntimeError, ValueError, NotImplementedError):
            # Only the main thread may own signals (tests run the app in a thread): watching still works.
            logger.info("SIGHUP reload unavailable here; file watching only")

    async def aclose(self) -> None:
        self._stop.set()
        if self._signal_installed:
            asyncio.get_running_loop().remove_signal_handler(signal.SIGHUP)
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    def _on_sighup(self) -> None:
        self._spawn(self.reload("signal:SIGHUP"))

    def _spawn(self, work: object) -> None:
        assert asyncio.iscoroutine(work)
        task: asyncio.Task[None] = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _watch(self) -> None:
        root = self._store.root
        if not root.is_dir():
            logger.warning("policy directory %s does not exist; not watching it", root)
            return
        try:
            async for _changes in awatch(
                root,
                watch_filter=is_policy_file,
                step=WATCH_STEP_MS,
                stop_event=self._stop,
                rust_timeout=STOP_CHECK_MS,
            ):
                await self.reload("file-watch")
        except OSError as error:
            # The policy in force stays; SIGHUP still reloads. Say so loudly: edits no longer apply alone.
            logger.error("policy directory watch stopped (%s); reload with SIGHUP", type(error).__name__)
