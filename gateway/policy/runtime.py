"""Everything the policy domain runs, wired once at start-up: the store, its reload triggers, the
history recorder and the limits backend (Redis when ``BULWARK_REDIS_URL`` is set)."""

from __future__ import annotations

from dataclasses import dataclass

import anyio

from gateway.audit.writer import AuditWriter
from gateway.db.session import Database
from gateway.limits.backend import LimitBackend
from gateway.limits.memory import InProcessLimits
from gateway.limits.redis_backend import RedisLimits
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
        return cls(store, history, limits, PolicyReloader(store), settings.policy_watch)

    async def start(self) -> None:
        # An invalid set at start-up leaves no policy in force: every request is refused (503) until a
        # valid edit is reloaded. The gateway stays up so that fix can be hot-reloaded.
        await anyio.to_thread.run_sync(self.store.reload, "startup")
        self.reloader.start(watch=self.watch)

    async def aclose(self) -> None:
        await self.reloader.aclose()
        await self.limits.aclose()
