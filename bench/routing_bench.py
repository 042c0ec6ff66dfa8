"""Prefix-affine routing vs round robin over three engine replicas: the same workload, one run.

Workload: tenants × shared system prompts × questions, streamed, a few clients at once. Each arm sends it
through the gateway's own pool and router (``gateway.upstream``) to three real engine processes; each arm
uses its own tenant salts, so the second arm never finds the first arm's prefixes in cache. Reported per
arm: the share of prompt tokens served from prefix caches and time to first token (p50, p90).

Run: .venv/bin/python bench/routing_bench.py   (prints a table and writes JSON to bench/results/)
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from gateway.cli.engine_process import EngineProcess  # noqa: E402
from gateway.upstream.affinity import affinity_key  # noqa: E402
from gateway.upstream.client import EngineClient  # noqa: E402
from gateway.upstream.pools import UpstreamPools  # noqa: E402
from gateway.upstream.route import tenant_cache_salt  # noqa: E402
from gateway.upstream.router import Strategy  # noqa: E402
from tests.servers import DEFAULT_MODEL, MODEL_CACHE, free_port  # noqa: E402

RESULTS = REPO / "bench" / "results"
TENANTS = ["north-clinic", "harbor-bank"]
SYSTEM_PROMPTS = [
    (f"You are assistant {n} of an internal help desk. Answer in one short sentence, in plain English. "
     "Never guess; say you do not know when unsure. Keep a neutral tone and do not repeat the question. "
     "Prefer everyday words to technical ones and numbers to words for quantities. ") * 3
    for n in range(3)
]  # fmt: skip
QUESTIONS = [f"Question {q}: how many days are there in {q + 1} weeks?" for q in range(4)]
CONCURRENCY, MAX_TOKENS = 4, 8


def workload() -> list[tuple[str, str, str]]:
    """Every (tenant, system prompt, question) in one shuffled order, the same for both arms. Shuffled: in
    a periodic order (6 prefixes, 3 replicas) round robin sends each prefix to the same replica by accident."""
    items = [(t, s, q) for q in QUESTIONS for t in TENANTS for s in SYSTEM_PROMPTS]
    random.Random(7).shuffle(items)
    return items


async def one_request(pools: UpstreamPools, salt_secret: bytes, item: tuple[str, str, str]) -> dict[str, Any]:
    tenant, system, question = item
    body: dict[str, Any] = {
        "model": DEFAULT_MODEL,
        "messages": [{"role": "system", "content": system}, {"role": "user", "content": question}],
        "max_tokens": MAX_TOKENS,
        "stream": True,
        "stream_options": {"include_usage": True},
        "cache_salt": tenant_cache_salt(salt_secret, tenant),
    }
    pool = pools.pool("default")
    replica = pool.choose(affinity_key(tenant, body, pools.routing.prefix_chars))
    assert replica is not None
    started, first_token = time.perf_counter(), None
    usage: dict[str, Any] = {}
    async with pool.in_flight(replica):
        async for event in await replica.client.post_stream("/v1/chat/completions", body):
            delta = (event.get("choices") or [{}])[0].get("delta", {})
            if first_token is None and delta.get("content"):
                first_token = time.perf_counter() - started
            usage = event.get("usage") or usage
    cached = (usage.get("prompt_tokens_details") or {}).get("cached_tokens", 0)
    return {"ttft_s": first_token, "prompt_tokens": usage.get("prompt_tokens", 0), "cached_tokens": cached}


async def run_arm(urls: list[str], strategy: Strategy) -> dict[str, Any]:
    clients = [EngineClient(url, timeout_s=600) for url in urls]
    pools = UpstreamPools.from_clients({"default": clients}, strategy=strategy)
    salt_secret = os.urandom(32)  # fresh per arm: no arm can reuse another's cache
    queue: asyncio.Queue[tuple[str, str, str]] = asyncio.Queue()
    for item in workload():
        queue.put_nowait(item)
    rows: list[dict[str, Any]] = []

    async def client() -> None:
        while not queue.empty():
            rows.append(await one_request(pools, salt_secret, queue.get_nowait()))

    load_before, started = os.getloadavg()[0], time.perf_counter()
    await asyncio.gather(*(client() for _ in range(CONCURRENCY)))
    wall = time.perf_counter() - started
    await pools.aclose()
    ttfts = sorted(row["ttft_s"] for row in rows if row["ttft_s"] is not None)
    prompt = sum(row["prompt_tokens"] for row in rows)
    return {
        "strategy": strategy,
        "requests": len(rows),
        "cached_token_share": sum(row["cached_tokens"] for row in rows) / prompt,
        "ttft_p50_s": statistics.median(ttfts),
        "ttft_p90_s": ttfts[int(0.9 * (len(ttfts) - 1))],
        "wall_s": wall,
        "loadavg_1m_before": load_before,
        "loadavg_1m_after": os.getloadavg()[0],
    }


def start_engines(logs: Path) -> list[EngineProcess]:
    engines = [
        EngineProcess(model=DEFAULT_MODEL, host="127.0.0.1", port=free_port(), model_cache=MODEL_CACHE,
                      extra_args=("--kv-cache-gb", "0.25", "--max-model-len", "2048"))
        for _ in range(3)
    ]  # fmt: skip
    for index, engine in enumerate(engines):
        engine.start(logs / f"engine-{index}.log")
    for engine in engines:
        engine.wait_ready(timeout_s=600)
    return engines


def main() -> None:
    with tempfile.TemporaryDirectory() as logs:
        engines = start_engines(Path(logs))
        try:
            urls = [engine.url for engine in engines]
            arms = [asyncio.run(run_arm(urls, strategy)) for strategy in ("prefix_affinity", "round_robin")]
        finally:
            for engine in engines:
                engine.stop()
    affine, round_robin = arms
    summary = {
        "cached_share_ratio": affine["cached_token_share"] / max(round_robin["cached_token_share"], 1e-9),
        "ttft_p50_speedup": round_robin["ttft_p50_s"] / affine["ttft_p50_s"],
    }
    print(f"{'arm':<16}{'cached share':>14}{'TTFT p50':>11}{'TTFT p90':>11}{'wall':>8}  load 1m")
    for arm in arms:
        print(
            f"{arm['strategy']:<16}{arm['cached_token_share']:>13.1%}{arm['ttft_p50_s']:>10.2f}s"
            f"{arm['ttft_p90_s']:>10.2f}s{arm['wall_s']:>7.0f}s  "
            f"{arm['loadavg_1m_before']:.1f} -> {arm['loadavg_1m_after']:.1f}"
        )
    print(
        f"cached-share ratio {summary['cached_share_ratio']:.2f}x, TTFT p50 speed-up {summary['ttft_p50_speedup']:.2f}x"
    )
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"routing_bench-{time.strftime('%Y%m%dT%H%M%S')}.json"
    out.write_text(json.dumps({"workload": {"tenants": len(TENANTS), "system_prompts": len(SYSTEM_PROMPTS),
                                            "questions": len(QUESTIONS), "concurrency": CONCURRENCY,
                                            "max_tokens": MAX_TOKENS, "replicas": 3},
                               "arms": arms, "summary": summary}, indent=2))  # fmt: skip
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
