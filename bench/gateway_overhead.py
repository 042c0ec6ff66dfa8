"""Gateway overhead: what `bulwark serve` adds on top of a near-zero-cost upstream, one run, three arms.

Arms: ``direct`` (the client talks to the upstream stub, ``bench/upstream_stub.py``), ``bulwark`` (one
`bulwark serve` in front of the stub; tenant bench-nopii, every PII rule allow) and ``bulwark-pii`` (the same
gateway; tenant bench-pii, ``extends: hipaa``, so Presidio analyses the prompt and the answer). The gateway
runs in dev mode on SQLite with the audit ledger on; stub and gateway are separate real processes.

Cells: each mode (nonstream, stream: ten SSE chunks plus usage) under closed loop at fixed concurrency
(default 1, 8, 32) and open loop at fixed arrival rates (default 50 and 200 req/s, fixed intervals; latency
counts from each request's scheduled time). Each cell is measured in rounds, every arm one block per round
in a rotating order, so machine noise hits every arm alike. Reported per arm and cell: latency p50 / p99,
for the gateway arms the added latency over direct at p50 / p99, req/s, and the server's CPU ms per request
(utime + stime of its process, every thread included, over its measured blocks); open loop also the rate
achieved and whether the arm kept up. Max req/s is each arm's best closed-loop req/s.

The gateway run is this checkout's code (PYTHONPATH), whatever the shared venv has installed. The client is
one uvloop process over bare protocols (``overhead_http``); its own CPU per request is in the JSON
(``client_cpu_ms_per_req``). /proc counts CPU in clock ticks (10 ms): the stub's CPU per request needs a few
hundred requests to mean much. Ctrl-C or SIGTERM stop the stub and the gateway too.

Run: .venv/bin/python bench/gateway_overhead.py [--quick] [--requests 400] [--arms direct,bulwark]
     (prints a table and writes JSON to bench/results/gateway_overhead-<timestamp>.json)
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import tempfile
import time
from pathlib import Path
from types import FrameType
from typing import Any

import uvloop
from overhead_http import ConnectionPool
from overhead_load import Target, closed_loop, open_loop
from overhead_report import ArmTally, add_overhead, best_line, cpu_seconds, max_req_per_s, summarise, table
from overhead_servers import Servers, running_servers

RESULTS = Path(__file__).resolve().parent / "results"
ARMS = ("direct", "bulwark", "bulwark-pii")
MODES = ("nonstream", "stream")
# A name and a day for the PII arm's analysers to find (pseudonymized); nothing the HIPAA rules block.
PROMPT = "Draft a two-line reminder for Maria Lopez about her follow-up visit at the clinic on Friday."
FULL = {
    "requests": 400,
    "warmup": 50,
    "concurrency": "1,8,32",
    "rates": "50,200",
    "rounds": 4,
    "max_seconds": 900,
}
QUICK = {"requests": 24, "warmup": 4, "concurrency": "1,8", "rates": "50", "rounds": 2, "max_seconds": 120}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="a tiny run (tests): " + str(QUICK))
    parser.add_argument("--requests", type=int, help="measured requests per arm per cell (400)")
    parser.add_argument("--warmup", type=int, help="unmeasured requests per arm per mode first (50)")
    parser.add_argument("--concurrency", help="closed-loop concurrencies, comma-separated (1,8,32)")
    parser.add_argument("--rates", help="open-loop arrival rates in req/s, comma-separated (50,200)")
    parser.add_argument("--rounds", type=int, help="blocks per arm per cell, arms alternating (4)")
    parser.add_argument("--modes", default=",".join(MODES), help="nonstream,stream")
    parser.add_argument("--arms", default=",".join(ARMS), help="direct,bulwark,bulwark-pii")
    parser.add_argument("--max-seconds", type=float, help="stop measuring after this long (900)")
    parser.add_argument("--json", type=Path, help="where to write the JSON (bench/results/...)")
    args = parser.parse_args()
    for option, known in (("arms", ARMS), ("modes", MODES)):
        if unknown := set(getattr(args, option).split(",")) - set(known):
            parser.error(f"--{option}: unknown {', '.join(sorted(unknown))}; known: {', '.join(known)}")
    for name, default in (QUICK if args.quick else FULL).items():
        if getattr(args, name) is None:
            setattr(args, name, default)
    return args


def cells(args: argparse.Namespace) -> list[dict[str, Any]]:
    """Every (mode, loop, level) the run measures, in order."""
    found = []
    for mode in args.modes.split(","):
        found += [{"mode": mode, "loop": "closed", "level": int(n)} for n in args.concurrency.split(",") if n]
        found += [{"mode": mode, "loop": "open", "level": float(r)} for r in args.rates.split(",") if r]
    return found


def cell_name(cell: dict[str, Any]) -> str:
    level = f"c={cell['level']}" if cell["loop"] == "closed" else f"{cell['level']:g}/s"
    return f"{cell['mode']} {cell['loop']} {level}"


class Arm:
    """One arm: where it sends, which process serves it, and its keep-alive connections."""

    def __init__(self, name: str, servers: Servers) -> None:
        direct = name == "direct"
        tenant = "bench-pii" if name == "bulwark-pii" else "bench-nopii"
        port = servers.stub_port if direct else servers.gateway_port
        self.name = name
        self.target = Target.build(port, None if direct else servers.keys[tenant], PROMPT)
        self.server_pid = servers.stub_pid if direct else servers.gateway_pid
        self.stub_pid = servers.stub_pid
        self.pool = ConnectionPool(port)

    async def run_block(self, cell: dict[str, Any], count: int, tally: ArmTally) -> None:
        request, stream = self.target.requests[cell["mode"]], cell["mode"] == "stream"
        server, stub, client = cpu_seconds(self.server_pid), cpu_seconds(self.stub_pid), time.process_time()
        if cell["loop"] == "closed":
            block = await closed_loop(self.pool, request, stream, count, cell["level"])
        else:
            block = await open_loop(self.pool, request, stream, count, cell["level"])
        tally.blocks.append(block)
        tally.server_cpu_s += cpu_seconds(self.server_pid) - server
        tally.upstream_cpu_s += cpu_seconds(self.stub_pid) - stub
        tally.client_cpu_s += time.process_time() - client


async def measure(args: argparse.Namespace, servers: Servers, deadline: float) -> dict[str, Any]:
    arms = [Arm(name, servers) for name in args.arms.split(",")]
    # warm-up at the highest concurrency, so the closed loops find their keep-alive connections open
    clients = max([int(n) for n in args.concurrency.split(",") if n] or [1])
    for mode in args.modes.split(","):
        for arm in arms:
            warm = await closed_loop(
                arm.pool, arm.target.requests[mode], mode == "stream", args.warmup, clients
            )
            if warm.errors:
                raise RuntimeError(f"{arm.name} {mode}: warm-up requests failed: {warm.errors}")
    results: dict[str, Any] = {}
    try:
        await measure_cells(args, arms, deadline, results)
    finally:
        for arm in arms:
            arm.pool.close()
    return results


async def measure_cells(
    args: argparse.Namespace, arms: list[Arm], deadline: float, results: dict[str, Any]
) -> None:
    """Fill `results` cell by cell; stop (leaving the cells done so far) once `deadline` has passed."""
    for cell in cells(args):
        tallies = {arm.name: ArmTally() for arm in arms}
        for round_index in range(args.rounds):
            count = args.requests // args.rounds + (round_index < args.requests % args.rounds)
            for offset in range(len(arms)):
                if time.monotonic() > deadline:
                    return
                arm = arms[(round_index + offset) % len(arms)]
                await arm.run_block(cell, count, tallies[arm.name])
        rate = cell["level"] if cell["loop"] == "open" else None
        numbers = {name: summarise(tally, rate) for name, tally in tallies.items()}
        add_overhead(numbers)
        results[cell_name(cell)] = cell | {"arms": numbers}


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def main() -> None:
    args = parse_args()
    signal.signal(signal.SIGTERM, _interrupt)  # like Ctrl-C: unwind, so the servers are stopped too
    started, load_before = time.monotonic(), os.getloadavg()
    with (
        tempfile.TemporaryDirectory(prefix="bulwark-overhead-") as work,
        running_servers(Path(work)) as servers,
    ):
        results = uvloop.run(measure(args, servers, started + args.max_seconds))  # a cheaper client loop
    best = max_req_per_s(results)
    report = {
        "config": {name: str(value) if isinstance(value, Path) else value for name, value in vars(args).items()},
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "cpu_clock_tick_ms": 1000 / os.sysconf("SC_CLK_TCK"),
                    "loadavg_before": load_before, "loadavg_after": os.getloadavg()},
        "complete": len(results) == len(cells(args)),
        "wall_s": time.monotonic() - started,
        "cells": results,
        "max_req_per_s": best,
    }  # fmt: skip
    print(table(results))
    print(best_line(best))
    if not report["complete"]:
        print(f"stopped at --max-seconds {args.max_seconds:g}: {len(results)} of {len(cells(args))} cells")
    out = args.json or RESULTS / f"gateway_overhead-{time.strftime('%Y%m%dT%H%M%S')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
