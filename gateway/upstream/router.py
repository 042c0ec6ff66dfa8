"""Which replica of a pool takes the next request. Pure bookkeeping, no I/O, so it is unit-tested alone.

- With an affinity key (tenant + leading block of the prompt): consistent hashing with bounded loads
  (Mirrokni, Thorup, Zadimoghaddam 2018). The key's point on a hash ring names a preferred replica; it
  takes the request while its in-flight count stays under ``load_bound`` × the pool's average, else the
  next replica on the ring does. Same-prefix requests keep landing where their prefix is cached, and no
  replica is buried under one hot prefix.
- Without one: least in-flight requests, ties taken in turn.
- ``round_robin`` ignores both (the baseline the routing bench compares against).

Replicas marked down are skipped while any healthy one remains; when all are down the least-loaded is
still tried, because a replica that recovered since the last probe beats refusing every request.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

Strategy = Literal["prefix_affinity", "round_robin"]
VIRTUAL_NODES = 64  # ring points per replica: keeps the key share per replica within a few percent


@dataclass
class ReplicaLoad:
    """The router's view of one replica: its URL, requests in flight through this gateway, health."""

    url: str
    in_flight: int = 0
    healthy: bool = True


def ring_hash(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")


class Router:
    def __init__(
        self, urls: Sequence[str], *, load_bound: float = 1.25, strategy: Strategy = "prefix_affinity"
    ) -> None:
        self.load_bound = load_bound
        self.strategy: Strategy = strategy
        # The ring depends only on the URLs, so every gateway replica maps a key to the same engine.
        points = sorted((ring_hash(f"{url}#{i}"), url) for url in urls for i in range(VIRTUAL_NODES))
        self._ring_hashes = [point for point, _ in points]
        self._ring_urls = [url for _, url in points]
        self._turn = itertools.count()

    def choose(
        self, replicas: Sequence[ReplicaLoad], affinity_key: str | None, exclude: frozenset[str] = frozenset()
    ) -> ReplicaLoad | None:
        """The replica for the next request, or ``None`` when every replica is excluded."""
        open_replicas = [replica for replica in replicas if replica.url not in exclude]
        candidates = [replica for replica in open_replicas if replica.healthy] or open_replicas
        if not candidates:
            return None
        if self.strategy == "round_robin":
            return candidates[next(self._turn) % len(candidates)]
        if affinity_key is None:
            return self._least_in_flight(candidates)
        return self._bounded_affinity(candidates, affinity_key)

    def _least_in_flight(self, candidates: Sequence[ReplicaLoad]) -> ReplicaLoad:
        fewest = min(replica.in_flight for replica in candidates)
        tied = [replica for replica in candidates if replica.in_flight == fewest]
        return tied[next(self._turn) % len(tied)]

    def _bounded_affinity(self, candidates: Sequence[ReplicaLoad], affinity_key: str) -> ReplicaLoad:
        total = sum(replica.in_flight for replica in candidates)
        bound = math.ceil(self.load_bound * (total + 1) / len(candidates))
        by_url = {replica.url: replica for replica in candidates}
        start = bisect.bisect(self._ring_hashes, ring_hash(affinity_key))
        seen: set[str] = set()
        for offset in range(len(self._ring_urls)):
            url = self._ring_urls[(start + offset) % len(self._ring_urls)]
            replica = by_url.get(url)
            if replica is None or url in seen:
                continue
            if replica.in_flight < bound:
                return replica
            seen.add(url)
            if len(seen) == len(by_url):
                break
        return self._least_in_flight(candidates)
