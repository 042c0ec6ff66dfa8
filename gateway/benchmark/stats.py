"""Summaries of a run: latency distributions, throughput, errors, cache share."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Sequence
from typing import Any

from gateway.benchmark.measure import RequestResult

PERCENTILES = (50, 90, 99)


def distribution(values: Sequence[float]) -> dict[str, float] | None:
    """Mean and p50/p90/p99 in milliseconds (nearest-rank percentiles), or None without samples."""
    if not values:
        return None
    ordered = sorted(values)
    summary = {"mean_ms": statistics.fmean(ordered) * 1000, "count": float(len(ordered))}
    for p in PERCENTILES:
        rank = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
        summary[f"p{p}_ms"] = ordered[rank] * 1000
    return summary


def summarize(results: Sequence[RequestResult], wall_s: float) -> dict[str, Any]:
    ok = [r for r in results if r.ok]
    prompt = sum(r.prompt_tokens for r in ok)
    completion = sum(r.completion_tokens for r in ok)
    cached = sum(r.cached_tokens for r in ok)
    wall = max(wall_s, 1e-9)
    return {
        "requests": len(results),
        "succeeded": len(ok),
        "errors": dict(Counter(r.error or "unknown" for r in results if not r.ok)),
        "wall_s": wall_s,
        "request_throughput_rps": len(ok) / wall,
        "output_token_throughput_tps": completion / wall,
        "total_token_throughput_tps": (prompt + completion) / wall,
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "cached_tokens": cached,
        "cached_token_share": cached / prompt if prompt else 0.0,
        "ttft": distribution([r.ttft_s for r in ok if r.ttft_s is not None]),
        "tpot": distribution([t for r in ok if (t := r.tpot_s) is not None]),
        "itl": distribution([gap for r in ok for gap in r.itl_s]),
        "e2e": distribution([r.e2e_s for r in ok]),
    }


def per_request(results: Sequence[RequestResult]) -> list[dict[str, Any]]:
    """The raw samples the plots and comparisons read back from the JSON."""
    return [
        {
            "started_s": r.started_s,
            "in_flight_at_start": r.in_flight_at_start,
            "ok": r.ok,
            "error": r.error,
            "ttft_s": r.ttft_s,
            "tpot_s": r.tpot_s,
            "e2e_s": r.e2e_s,
            "itl_s": r.itl_s,
            "prompt_tokens": r.prompt_tokens,
            "completion_tokens": r.completion_tokens,
            "cached_tokens": r.cached_tokens,
            "tags": r.tags,
        }
        for r in results
    ]
