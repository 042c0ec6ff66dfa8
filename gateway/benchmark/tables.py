"""Rich tables for one run and for several runs side by side, with ratios against the first."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.table import Table

LATENCIES = ("ttft", "tpot", "itl", "e2e")
THROUGHPUTS = (
    ("request_throughput_rps", "requests/s"),
    ("output_token_throughput_tps", "output tok/s"),
    ("total_token_throughput_tps", "total tok/s"),
    ("cached_token_share", "cached token share"),
)


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:,.1f}"


def run_table(report: dict[str, Any]) -> Table:
    summary = report["summary"]
    workload, load = report["workload"], report["load"]
    table = Table(title=f"{workload['name']} · {workload['model']} · {_load_label(load)}")
    table.add_column("metric")
    for column in ("mean ms", "p50 ms", "p90 ms", "p99 ms"):
        table.add_column(column, justify="right")
    for name in LATENCIES:
        dist = summary[name] or {}
        table.add_row(name.upper(), *(_ms(dist.get(k)) for k in ("mean_ms", "p50_ms", "p90_ms", "p99_ms")))
    for key, label in THROUGHPUTS:
        table.add_row(label, f"{summary[key]:,.3f}", "", "", "")
    errors = ", ".join(f"{kind} {count}" for kind, count in summary["errors"].items()) or "none"
    table.caption = (
        f"{summary['succeeded']}/{summary['requests']} ok in {summary['wall_s']:.1f} s · errors: {errors}"
    )
    return table


def _load_label(load: dict[str, Any]) -> str:
    return f"concurrency {load['concurrency']}" if load.get("concurrency") else f"{load['rate']} req/s"


def _metric_rows() -> list[tuple[str, str, str | None]]:
    rows: list[tuple[str, str, str | None]] = [(f"{n.upper()} p50 ms", n, "p50_ms") for n in LATENCIES]
    rows += [(f"{n.upper()} p99 ms", n, "p99_ms") for n in ("ttft", "e2e")]
    rows += [(label, key, None) for key, label in THROUGHPUTS]
    return rows


def metric_value(summary: dict[str, Any], key: str, field: str | None) -> float | None:
    value = summary.get(key)
    if field is None:
        return float(value) if isinstance(value, int | float) else None
    return float(value[field]) if isinstance(value, dict) and field in value else None


def compare_table(names: Sequence[str], reports: Sequence[dict[str, Any]]) -> Table:
    table = Table(title="bulwark bench compare (ratio = run / first run)")
    table.add_column("metric")
    for index, name in enumerate(names):
        table.add_column(name, justify="right")
        if index:
            table.add_column("ratio", justify="right")
    for label, key, field in _metric_rows():
        base = metric_value(reports[0]["summary"], key, field)
        cells: list[str] = []
        for index, report in enumerate(reports):
            value = metric_value(report["summary"], key, field)
            cells.append("—" if value is None else f"{value:,.3f}")
            if index:
                cells.append(f"{value / base:.2f}×" if value is not None and base else "—")
        table.add_row(label, *cells)
    return table
