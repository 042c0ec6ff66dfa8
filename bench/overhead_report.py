"""The gateway-overhead bench's numbers: one arm's blocks in one cell summed up, and the printed table."""

from __future__ import annotations

import math
import os
import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from overhead_load import Block

DIRECT = "direct"
KEPT_UP_SHARE = 0.9  # an open-loop arm kept up when it sent and finished at 90 % of the target rate or more


def cpu_seconds(pid: int) -> float:
    """User plus system CPU of a process, every thread of it included (/proc/<pid>/stat fields 14, 15)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class ArmTally:
    """One arm's measured blocks in one cell, with the CPU its server, the stub and the client spent."""

    blocks: list[Block] = field(default_factory=list)
    server_cpu_s: float = 0.0
    upstream_cpu_s: float = 0.0
    client_cpu_s: float = 0.0


def percentile_ms(sorted_s: list[float], share: float) -> float:
    """Nearest-rank percentile, in milliseconds."""
    return 1000 * sorted_s[max(0, math.ceil(share * len(sorted_s)) - 1)]


def _error_kinds(blocks: list[Block]) -> dict[str, int]:
    kinds: dict[str, int] = {}
    for block in blocks:
        for kind, count in block.errors.items():
            kinds[kind] = kinds.get(kind, 0) + count
    return kinds


def summarise(tally: ArmTally, rate: float | None) -> dict[str, Any]:
    latencies = sorted(latency for block in tally.blocks for latency in block.latencies_s)
    done = len(latencies)
    summary: dict[str, Any] = {
        "requests": done,
        "errors": sum(sum(block.errors.values()) for block in tally.blocks),
        "error_kinds": _error_kinds(tally.blocks),
        "p50_ms": percentile_ms(latencies, 0.5) if done else None,
        "p99_ms": percentile_ms(latencies, 0.99) if done else None,
        "mean_ms": 1000 * statistics.fmean(latencies) if done else None,
        "req_per_s": done / sum(block.wall_s for block in tally.blocks) if done else 0.0,
        "server_cpu_ms_per_req": 1000 * tally.server_cpu_s / done if done else None,
        "upstream_cpu_ms_per_req": 1000 * tally.upstream_cpu_s / done if done else None,
        "client_cpu_ms_per_req": 1000 * tally.client_cpu_s / done if done else None,
    }
    if rate is not None:
        sent = sum(len(block.latencies_s) + sum(block.errors.values()) for block in tally.blocks)
        span = sum(block.send_span_s for block in tally.blocks)
        # n requests at fixed intervals span (n - 1) intervals, one per block
        intervals = sent - len(tally.blocks)
        summary["target_rate"] = rate
        summary["send_rate"] = intervals / span if span > 0 else None
        summary["kept_up"] = bool(
            summary["send_rate"] and summary["send_rate"] >= KEPT_UP_SHARE * rate
            and summary["req_per_s"] >= KEPT_UP_SHARE * rate
        )  # fmt: skip
    return summary


def add_overhead(arms: dict[str, dict[str, Any]]) -> None:
    """Each gateway arm's latency minus the direct arm's, in the same cell, at p50 and p99."""
    direct = arms.get(DIRECT)
    for name, arm in arms.items():
        if name == DIRECT or direct is None:
            continue
        for share in ("p50", "p99"):
            mine, base = arm[f"{share}_ms"], direct[f"{share}_ms"]
            arm[f"added_{share}_ms"] = mine - base if mine is not None and base is not None else None


def max_req_per_s(cells: dict[str, dict[str, Any]]) -> dict[str, dict[str, float]]:
    """The best closed-loop req/s of each arm, per mode."""
    best: dict[str, dict[str, float]] = {}
    for cell in cells.values():
        if cell["loop"] != "closed":
            continue
        for arm, numbers in cell["arms"].items():
            per_mode = best.setdefault(arm, {})
            per_mode[cell["mode"]] = max(per_mode.get(cell["mode"], 0.0), numbers["req_per_s"])
    return best


def best_line(best: dict[str, dict[str, float]]) -> str:
    per_arm = (
        f"{arm} " + " / ".join(f"{mode} {rate:.0f}" for mode, rate in modes.items())
        for arm, modes in best.items()
    )
    return "max req/s (best closed loop): " + ", ".join(per_arm)


def _ms(value: float | None, signed: bool = False) -> str:
    return "-" if value is None else (f"{value:+.2f}" if signed else f"{value:.2f}")


def table(cells: dict[str, dict[str, Any]]) -> str:
    lines = [
        f"{'cell':<22}{'arm':<13}{'p50 ms':>9}{'p99 ms':>9}{'+p50':>10}{'+p99':>10}{'req/s':>8}"
        f"{'cpu ms/req':>11}{'errors':>7}  open loop"
    ]
    for name, cell in cells.items():
        for arm, numbers in cell["arms"].items():
            open_loop = ""
            if "target_rate" in numbers:
                sent = numbers["send_rate"] or 0.0
                verdict = "kept up" if numbers["kept_up"] else "FELL BEHIND"
                open_loop = f"sent {sent:.0f}/s, {verdict}"
            lines.append(
                f"{name:<22}{arm:<13}{_ms(numbers['p50_ms']):>9}{_ms(numbers['p99_ms']):>9}"
                f"{_ms(numbers.get('added_p50_ms'), True):>10}{_ms(numbers.get('added_p99_ms'), True):>10}"
                f"{numbers['req_per_s']:>8.0f}{_ms(numbers['server_cpu_ms_per_req']):>11}"
                f"{numbers['errors']:>7}  {open_loop}"
            )
    return "\n".join(lines)
