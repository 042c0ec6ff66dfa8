"""PNG plots: latency CDFs, TTFT against load, throughput over time; one figure per run or comparison."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # files only: a server or CI has no display

import matplotlib.pyplot as plt
from matplotlib.axes import Axes


def _cdf(ax: Axes, values: Sequence[float], label: str) -> None:
    ordered = sorted(v * 1000 for v in values)
    if ordered:
        ax.step(ordered, [(i + 1) / len(ordered) for i in range(len(ordered))], where="post", label=label)


def _samples(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for s in report["samples"] if s["ok"]]


def _token_times(sample: dict[str, Any]) -> list[float]:
    """When each streamed chunk arrived (run time); a unary answer counts at its end."""
    if sample["ttft_s"] is None:
        return [sample["started_s"] + sample["e2e_s"]] * max(1, sample["completion_tokens"])
    times = [sample["started_s"] + sample["ttft_s"]]
    for gap in sample["itl_s"]:
        times.append(times[-1] + gap)
    return times


def _throughput_over_time(ax: Axes, report: dict[str, Any], label: str, bucket_s: float = 1.0) -> None:
    buckets: dict[int, int] = {}
    for sample in _samples(report):
        for moment in _token_times(sample):
            buckets[int(moment / bucket_s)] = buckets.get(int(moment / bucket_s), 0) + 1
    if buckets:
        xs = list(range(max(buckets) + 1))
        ax.plot([x * bucket_s for x in xs], [buckets.get(x, 0) / bucket_s for x in xs], label=label)


def draw(names: Sequence[str], reports: Sequence[dict[str, Any]], path: Path) -> None:
    fig, axes = plt.subplots(2, 2, figsize=(12, 8))
    ttft_ax, e2e_ax, load_ax, time_ax = axes.flat
    for name, report in zip(names, reports, strict=True):
        samples = _samples(report)
        _cdf(ttft_ax, [s["ttft_s"] for s in samples if s["ttft_s"] is not None], name)
        _cdf(e2e_ax, [s["e2e_s"] for s in samples], name)
        with_ttft = [s for s in samples if s["ttft_s"] is not None]
        load_ax.scatter(
            [s["in_flight_at_start"] for s in with_ttft],
            [s["ttft_s"] * 1000 for s in with_ttft],
            s=8,
            label=name,
        )
        _throughput_over_time(time_ax, report, name)
    for ax, title, xlabel, ylabel in (
        (ttft_ax, "TTFT CDF", "ms", "share of requests"),
        (e2e_ax, "End-to-end latency CDF", "ms", "share of requests"),
        (load_ax, "TTFT against load", "requests in flight at start", "TTFT ms"),
        (time_ax, "Throughput over time", "s", "output chunks/s (≈ tokens/s)"),
    ):
        ax.set_title(title)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        ax.grid(alpha=0.3)
        if ax.has_data():
            ax.legend(fontsize="small")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
