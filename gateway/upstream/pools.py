"""Every engine pool this gateway routes to, wired once at start-up (``Services.upstreams``), plus the
background task that probes their health. Metrics read ``in_flight_counts`` and ``healthy_replicas``."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Mapping, Sequence

import httpx

from gateway.settings import Settings
from gateway.tls import UpstreamTls
from gateway.upstream.client import EngineClient
from gateway.upstream.pool import UpstreamPool
from gateway.upstream.pool_file import PoolFile, RoutingOptions
from gateway.upstream.router import Router, Strategy


class UpstreamPools:
    def __init__(self, pools: Mapping[str, UpstreamPool], routing: RoutingOptions) -> None:
        self._pools = dict(pools)
        self.routing = routing
        self._prober: asyncio.Task[None] | None = None

    @classmethod
    def from_pool_file(
        cls,
        pool_file: PoolFile,
        settings: Settings,
        strategy: Strategy = "prefix_affinity",
        transport: Callable[[], httpx.AsyncBaseTransport] | None = None,
        tls: UpstreamTls | None = None,
    ) -> UpstreamPools:
        """One client per replica; ``transport`` builds each client's own transport (telemetry's)."""
        clients = {
            name: [
                EngineClient(
                    spec.url,
                    timeout_s=settings.upstream_timeout_s,
                    total_timeout_s=settings.upstream_total_timeout_s,
                    max_response_bytes=settings.upstream_max_response_bytes,
                    transport=transport() if transport else None,
                    tls=tls,
                )
                for spec in specs
            ]
            for name, specs in pool_file.pools.items()
        }
        return cls.from_clients(clients, pool_file.routing, strategy)

    @classmethod
    def from_clients(
        cls,
        clients: Mapping[str, Sequence[EngineClient]],
        routing: RoutingOptions | None = None,
        strategy: Strategy = "prefix_affinity",
    ) -> UpstreamPools:
        """Pools over ready-made clients (tests and the routing bench pass their own transports)."""
        routing = routing or RoutingOptions()
        pools = {
            name: UpstreamPool(
                name,
                members,
                Router(
                    [client.base_url for client in members], load_bound=routing.load_bound, strategy=strategy
                ),
            )
            for name, members in clients.items()
        }
        return cls(pools, routing)

    def pool(self, name: str) -> UpstreamPool:
        return self._pools[name]

    @property
    def names(self) -> frozenset[str]:
        return frozenset(self._pools)

    def in_flight_counts(self) -> dict[str, dict[str, int]]:
        """Requests this gateway has in flight, per pool and replica URL."""
        return {name: pool.in_flight_counts() for name, pool in self._pools.items()}

    def healthy_replicas(self) -> dict[str, int]:
        return {name: pool.healthy_count() for name, pool in self._pools.items()}

    async def probe_all(self) -> None:
        await asyncio.gather(*(pool.probe() for pool in self._pools.values()))

    async def is_ready(self) -> bool:
        """Ready when every pool has a replica that answers its probe now."""
        await self.probe_all()
        return all(count > 0 for count in self.healthy_replicas().values())

    async def start(self) -> None:
        # Know who answers before the first request: listed replicas that do not exist yet (an engine
        # StatefulSet scaled below its maximum) start marked down instead of costing a retry.
        await self.probe_all()
        self._prober = asyncio.create_task(self._probe_forever())

    async def _probe_forever(self) -> None:
        while True:
            await asyncio.sleep(self.routing.health_interval_s)
            await self.probe_all()

    async def aclose(self) -> None:
        if self._prober is not None:
            self._prober.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._prober
        for pool in self._pools.values():
            await pool.aclose()
