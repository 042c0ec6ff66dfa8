"""The router alone: bounded-load affinity, least in-flight, down/up. No models, no network."""

from __future__ import annotations

from collections import Counter

from gateway.upstream.router import ReplicaLoad, Router

URLS = ["http://10.0.0.1:8001", "http://10.0.0.2:8001", "http://10.0.0.3:8001"]


def replicas() -> list[ReplicaLoad]:
    return [ReplicaLoad(url) for url in URLS]


def test_same_key_goes_to_the_same_replica_while_loads_are_even() -> None:
    router, pool = Router(URLS), replicas()
    first = router.choose(pool, "acme:prefix-a")
    assert first is not None
    assert all(router.choose(pool, "acme:prefix-a") is first for _ in range(20))


def test_every_gateway_maps_a_key_to_the_same_replica() -> None:
    # Two gateway replicas build their rings independently, in a different URL order.
    one, other = Router(URLS), Router(list(reversed(URLS)))
    for key in (f"tenant:{i}" for i in range(50)):
        chosen_one, chosen_other = one.choose(replicas(), key), other.choose(replicas(), key)
        assert chosen_one is not None and chosen_other is not None
        assert chosen_one.url == chosen_other.url


def test_keys_spread_over_replicas() -> None:
    router = Router(URLS)
    counts = Counter(router.choose(replicas(), f"tenant:{i}").url for i in range(3000))  # type: ignore[union-attr]
    assert len(counts) == 3
    assert min(counts.values()) > 600  # no replica starved (ideal: 1000 each)


def test_a_hot_key_spills_to_another_replica_past_the_load_bound() -> None:
    router, pool = Router(URLS, load_bound=1.25), replicas()
    preferred = router.choose(pool, "acme:hot")
    assert preferred is not None
    placed: Counter[str] = Counter()
    for _ in range(12):  # 12 concurrent requests of one prefix, none finished yet
        chosen = router.choose(pool, "acme:hot")
        assert chosen is not None
        chosen.in_flight += 1
        placed[chosen.url] += 1
    # Bound after n placed: ceil(1.25 * (n + 1) / 3); the preferred replica holds the most but not all.
    assert placed.most_common(1)[0][0] == preferred.url
    assert placed[preferred.url] == 5
    assert max(replica.in_flight for replica in pool) <= 5
    assert sum(placed.values()) == 12 and len(placed) == 3


def test_without_a_key_the_least_loaded_replica_wins() -> None:
    router, pool = Router(URLS), replicas()
    pool[0].in_flight, pool[1].in_flight, pool[2].in_flight = 4, 1, 3
    assert router.choose(pool, None) is pool[1]


def test_ties_in_least_in_flight_are_taken_in_turn() -> None:
    router, pool = Router(URLS), replicas()
    chosen = {router.choose(pool, None).url for _ in range(3)}  # type: ignore[union-attr]
    assert chosen == set(URLS)


def test_a_down_replica_is_skipped_and_taken_again_when_it_is_back() -> None:
    router, pool = Router(URLS), replicas()
    preferred = router.choose(pool, "acme:prefix")
    assert preferred is not None
    preferred.healthy = False
    stand_in = router.choose(pool, "acme:prefix")
    assert stand_in is not None and stand_in is not preferred
    assert all(router.choose(pool, f"k{i}") is not preferred for i in range(100))
    preferred.healthy = True
    assert router.choose(pool, "acme:prefix") is preferred


def test_excluded_replicas_are_never_chosen_and_none_is_left_at_the_end() -> None:
    router, pool = Router(URLS), replicas()
    tried: set[str] = set()
    for _ in URLS:
        chosen = router.choose(pool, "acme:prefix", frozenset(tried))
        assert chosen is not None and chosen.url not in tried
        tried.add(chosen.url)
    assert router.choose(pool, "acme:prefix", frozenset(tried)) is None


def test_when_every_replica_is_down_one_is_still_tried() -> None:
    router, pool = Router(URLS), replicas()
    for replica in pool:
        replica.healthy = False
    assert router.choose(pool, "acme:prefix") is not None


def test_round_robin_ignores_affinity() -> None:
    router, pool = Router(URLS, strategy="round_robin"), replicas()
    assert {router.choose(pool, "acme:same").url for _ in range(3)} == set(URLS)  # type: ignore[union-attr]
