"""The knee rule on its own: targets checked at a percentile, the highest passing load wins."""

from __future__ import annotations

from typing import Any

from gateway.benchmark.driver import Load
from gateway.benchmark.sweep import Targets, levels_of, sweep


def _summary(ttft_p90_ms: float, errors: int = 0) -> dict[str, Any]:
    dist = {"mean_ms": ttft_p90_ms, "p50_ms": ttft_p90_ms / 2, "p90_ms": ttft_p90_ms, "p99_ms": ttft_p90_ms}
    return {"requests": 10, "succeeded": 10 - errors, "ttft": dist, "tpot": dist}


def test_knee_is_the_highest_load_meeting_the_targets() -> None:
    ttft_by_concurrency = {1: 100.0, 2: 180.0, 4: 400.0, 8: 900.0}
    levels = levels_of(Load(concurrency=1, requests=10), [1, 2, 4, 8])
    result = sweep(
        levels,
        Targets(ttft_ms=500),
        lambda load: {"summary": _summary(ttft_by_concurrency[load.concurrency or 0])},
    )
    assert result["knee"]["concurrency"] == 4
    assert [bool(level["missed"]) for level in result["levels"]] == [False, False, False, True]


def test_sweep_stops_at_the_first_miss_unless_told_to_keep_going() -> None:
    levels = levels_of(Load(rate=1.0, requests=10), [1, 2, 4])
    ran: list[float] = []

    def run(load: Load) -> dict[str, Any]:
        ran.append(load.rate or 0)
        return {"summary": _summary(1000.0)}

    assert sweep(levels, Targets(ttft_ms=500), run)["knee"] is None
    assert ran == [1.0]
    sweep(levels, Targets(ttft_ms=500), run, keep_going=True)
    assert ran == [1.0, 1.0, 2.0, 4.0]


def test_errors_and_missing_metrics_miss_the_targets() -> None:
    assert Targets(ttft_ms=500).check(_summary(100.0, errors=1)) == ["errors 1/10"]
    no_tokens = {"requests": 1, "succeeded": 1, "ttft": None, "tpot": None}
    assert Targets(tpot_ms=50, percentile=50).check(no_tokens) == ["TPOT p50 none > 50 ms"]
