"""One engine pool: its replicas, their in-flight counts and health, and the router that picks one.

Health is known two ways: passively (a connection that fails or breaks marks the replica down at once)
and actively (every ``health_interval_s`` each replica's ``/health``, or ``/v1/models``, is probed; a
down replica that answers comes back). Counts are this gateway's own requests: each gateway replica
balances what it sends, and the ring sends the same prefix to the same engine from every gateway.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

import anyio

from gateway.upstream.client import EngineClient
from gateway.upstream.router import ReplicaLoad, Router

logger = logging.getLogger(__name__)


class Replica:
    def __init__(self, client: EngineClient) -> None:
        self.client = client
        self.load = ReplicaLoad(client.base_url)

    @property
    def url(self) -> str:
        return self.load.url


class UpstreamPool:
    def __init__(self, name: str, clients: Sequence[EngineClient], router: Router) -> None:
        self.name = name
        self.replicas = [Replica(client) for client in clients]
        self._router = router

    def choose(self, affinity_key: str | None, exclude: frozenset[str] = frozenset()) -> Replica | None:
        chosen = self._router.choose([replica.load for replica in self.replicas], affinity_key, exclude)
        return next(replica for replica in self.replicas if replica.load is chosen) if chosen else None

    @asynccontextmanager
    async def in_flight(self, replica: Replica) -> AsyncIterator[None]:
        """Counts one request against ``replica`` for as long as the block (or the stream) runs."""
        replica.load.in_flight += 1
        try:
            yield
        finally:
            replica.load.in_flight -= 1

    def mark_down(self, replica: Replica) -> None:
        if replica.load.healthy:
            logger.warning("upstream %s: replica %s marked down", self.name, replica.url)
        replica.load.healthy = False

    def mark_up(self, replica: Replica) -> None:
        if not replica.load.healthy:
            logger.warning("upstream %s: replica %s is back", self.name, replica.url)
        replica.load.healthy = True

    async def probe(self) -> None:
        async def probe_one(replica: Replica) -> None:
            if await replica.client.is_healthy():
                self.mark_up(replica)
            else:
                self.mark_down(replica)

        async with anyio.create_task_group() as group:
            for replica in self.replicas:
                group.start_soon(probe_one, replica)

    def in_flight_counts(self) -> dict[str, int]:
        return {replica.url: replica.load.in_flight for replica in self.replicas}

    def healthy_count(self) -> int:
        return sum(1 for replica in self.replicas if replica.load.healthy)

    async def aclose(self) -> None:
        for replica in self.replicas:
            await replica.client.aclose()
