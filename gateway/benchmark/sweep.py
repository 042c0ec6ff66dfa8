"""Rising load until latency targets break: the knee is the highest load that still meets them."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import Any

from rich.table import Table

from gateway.benchmark.driver import Load
from gateway.benchmark.tables import metric_value


@dataclasses.dataclass(frozen=True)
class Targets:
    ttft_ms: float | None = None
    tpot_ms: float | None = None
    percentile: int = 90  # the targets apply to this percentile (50, 90 or 99)
    max_error_share: float = 0.0

    def check(self, summary: dict[str, Any]) -> list[str]:
        """The targets this run missed, as short reasons; empty when it met them all."""
        field = f"p{self.percentile}_ms"
        missed = []
        for name, limit in (("ttft", self.ttft_ms), ("tpot", self.tpot_ms)):
            value = metric_value(summary, name, field)
            if limit is not None and (value is None or value > limit):
                shown = "none" if value is None else f"{value:.0f}"
                missed.append(f"{name.upper()} {field[:-3]} {shown} > {limit:.0f} ms")
        errors = summary["requests"] - summary["succeeded"]
        if summary["requests"] and errors / summary["requests"] > self.max_error_share:
            missed.append(f"errors {errors}/{summary['requests']}")
        return missed


def levels_of(base: Load, values: Sequence[float]) -> list[Load]:
    if base.concurrency is not None:
        return [dataclasses.replace(base, concurrency=int(v)) for v in values]
    return [dataclasses.replace(base, rate=float(v)) for v in values]


def sweep(
    levels: Sequence[Load],
    targets: Targets,
    run_level: Callable[[Load], dict[str, Any]],
    keep_going: bool = False,
) -> dict[str, Any]:
    rows = []
    knee: dict[str, Any] | None = None
    for load in levels:
        report = run_level(load)
        missed = targets.check(report["summary"])
        rows.append({"load": dataclasses.asdict(load), "missed": missed, "report": report})
        if not missed:
            knee = dataclasses.asdict(load)
        elif not keep_going:
            break
    return {
        "kind": "bulwark-bench-sweep",
        "targets": dataclasses.asdict(targets),
        "knee": knee,
        "levels": rows,
    }


def sweep_table(result: dict[str, Any]) -> Table:
    table = Table(title="bulwark bench sweep")
    for column in (
        "load",
        "TTFT p50 ms",
        "TTFT p90 ms",
        "TPOT p50 ms",
        "TPOT p90 ms",
        "output tok/s",
        "meets targets",
    ):
        table.add_column(column, justify="right")
    for row in result["levels"]:
        summary, load = row["report"]["summary"], row["load"]
        label = f"c={load['concurrency']}" if load.get("concurrency") else f"{load['rate']}/s"
        cells = [
            metric_value(summary, n, f)
            for n, f in (("ttft", "p50_ms"), ("ttft", "p90_ms"), ("tpot", "p50_ms"), ("tpot", "p90_ms"))
        ]
        shown = ["—" if c is None else f"{c:,.0f}" for c in cells]
        verdict = "yes" if not row["missed"] else "no: " + "; ".join(row["missed"])
        table.add_row(label, *shown, f"{summary['output_token_throughput_tps']:,.1f}", verdict)
    knee = result["knee"]
    table.caption = "knee: " + (
        "none (the lowest load already misses the targets)"
        if knee is None
        else (f"concurrency {knee['concurrency']}" if knee.get("concurrency") else f"{knee['rate']} req/s")
    )
    return table
