"""Keeps this replica's policy in step with edits made through another replica.

An edit through ``/admin/policies`` on replica A writes the file (on the policy volume every replica
mounts) and records a ``policy_revisions`` row once it is in force there. Every replica polls the newest
row id (one indexed read per second) and reloads when it moved. The file watcher alone would usually
suffice on one machine, but inotify does not see writes made by another host on a network volume; the
database is what every replica shares for certain, so it carries the signal.
"""

from __future__ import annotations

import asyncio
import logging

import anyio
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from gateway.db.session import Database
from gateway.policy.models import PolicyRevision
from gateway.policy.store import PolicyStore

logger = logging.getLogger(__name__)
SYNC_ACTOR = "replica-sync"


class PolicyFollower:
    def __init__(self, store: PolicyStore, database: Database, every_s: float) -> None:
        self._store = store
        self._database = database
        self._every_s = every_s
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self._every_s > 0:
            self._task = asyncio.get_running_loop().create_task(self._run())

    async def aclose(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    def _latest_revision(self) -> int:
        with self._database.session() as session:
            return int(session.scalar(select(func.max(PolicyRevision.id))) or 0)

    async def _run(self) -> None:
        seen: int | None = None
        while True:
            try:
                latest = await anyio.to_thread.run_sync(self._latest_revision)
                if seen is not None and latest != seen:
                    await anyio.to_thread.run_sync(self._store.reload, SYNC_ACTOR)
                seen = latest
            except SQLAlchemyError as error:
                # The policy in force stays; the next tick tries again.
                logger.warning("policy sync check failed: %s", type(error).__name__)
            await asyncio.sleep(self._every_s)
