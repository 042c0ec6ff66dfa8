"""Everything the policy domain runs, wired once at start-up: the store, its reload triggers (file watch,
SIGHUP, and edits made through other replicas), the history recorder and the limits backend (Redis when
``BULWARK_REDIS_URL`` is set)."""

from __future__ import annotations

from dataclasses import dataclass

import anyio

from gateway.audit.writer import AuditWriter
from gateway.db.session import Database
from gateway.limits.backend import LimitBackend
from gateway.limits.memory import InProcessLimits
from gateway.limits.redis_backend import RedisLimits
from gateway.policy.follower import PolicyFollower
from gateway.policy.history import PolicyHistory
from gateway.policy.schema import ValidationOptions
from gateway.policy.store import PolicyStore
from gateway.policy.watcher import PolicyReloader
from gateway.settings import Settings
from gateway.upstream.pool_file import pool_names


def validation_options(settings: Settings) -> ValidationOptions:
    return ValidationOptions(
        known_models=frozenset(settings.served_models), known_upstreams=pool_names(settings)
    )


@dataclass
class PolicyRuntime:
    store: PolicyStore
    history: PolicyHistory
    limits: LimitBackend
    reloader: PolicyReloader
    watch: bool
    follower: PolicyFollower

    @classmethod
    def from_settings(
        cls, settings: Settings, database: Database, audit_writer: AuditWriter
    ) -> PolicyRuntime:
        history = PolicyHistory(database, audit_writer)
        store = PolicyStore(settings.policy_dir, validation_options(settings), history)
        limits: LimitBackend = (
            RedisLimits(settings.redis_url, prefix=f"{settings.redis_prefix}limits:")
            if settings.redis_url
            else InProcessLimits()
        )
        follower = PolicyFollower(store, database, settings.policy_sync_every_s)
        return cls(store, history, limits, PolicyReloader(store), settings.policy_watch, follower)

    async def start(self) -> None:
        # An invalid set at start-up leaves no policy in force: every request is refused (503) until a
        # valid edit is reloaded. The gateway stays up so that fix can be hot-reloaded.
        await anyio.to_thread.run_sync(self.store.reload, "startup")
        self.reloader.start(watch=self.watch)
        self.follower.start()

    async def aclose(self) -> None:
        await self.follower.aclose()
        await self.reloader.aclose()
        await self.limits.aclose()
