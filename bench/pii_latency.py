"""Time ``PiiAnalyzer.analyze`` per document of the labelled corpus and report ms per KB.

    .venv/bin/python bench/pii_latency.py [--repeat 3]

Each document is analysed ``repeat`` times after a warm-up; its time is the median of those runs,
divided by its size in KB (1024 bytes of UTF-8). Prints median and p99 over documents (overall and per
kind) and writes JSON to bench/results/pii_latency.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gateway.pii.analyzer import PiiAnalyzer
from gateway.pii.rules import PiiRules

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests/data/pii/corpus.jsonl"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def long_documents(documents: list[dict[str, Any]], size: int) -> list[dict[str, Any]]:
    """Documents of one kind joined until each is at least ``size`` bytes (a long prompt)."""
    joined: list[dict[str, Any]] = []
    by_kind: dict[str, list[str]] = {}
    for doc in documents:
        by_kind.setdefault(doc["kind"], []).append(doc["text"])
    for kind, texts in sorted(by_kind.items()):
        current: list[str] = []
        for text in texts:
            current.append(text)
            if len("\n\n".join(current).encode("utf-8")) >= size:
                joined.append({"kind": kind, "text": "\n\n".join(current)})
                current = []
    return joined


def measure(analyzer: PiiAnalyzer, documents: list[dict[str, Any]], repeat: int) -> dict[str, Any]:
    """Wall-clock ms per KB (what a request waits) and CPU ms per KB of this thread (what it costs,
    much less disturbed when other processes share the two cores)."""
    rules = PiiRules.default()
    wall: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}
    for doc in documents:
        wall_runs, cpu_runs = [], []
        for _ in range(repeat):
            started, started_cpu = time.perf_counter(), time.thread_time()
            analyzer.analyze(doc["text"], rules)
            wall_runs.append((time.perf_counter() - started) * 1000)
            cpu_runs.append((time.thread_time() - started_cpu) * 1000)
        kb = len(doc["text"].encode("utf-8")) / 1024
        wall.setdefault(doc["kind"], []).append(statistics.median(wall_runs) / kb)
        cpu.setdefault(doc["kind"], []).append(statistics.median(cpu_runs) / kb)
    summary = {}
    for kind in [*sorted(wall), "ALL"]:
        w = [v for vs in wall.values() for v in vs] if kind == "ALL" else wall[kind]
        c = [v for vs in cpu.values() for v in vs] if kind == "ALL" else cpu[kind]
        summary[kind] = {
            "documents": len(w),
            "median_ms_per_kb": round(statistics.median(w), 2),
            "p99_ms_per_kb": round(percentile(w, 0.99), 2),
            "median_cpu_ms_per_kb": round(statistics.median(c), 2),
            "p99_cpu_ms_per_kb": round(percentile(c, 0.99), 2),
        }
    sizes = [len(d["text"].encode("utf-8")) for d in documents]
    return {"by_kind": summary, "median_bytes": statistics.median(sizes), "max_bytes": max(sizes)}


def print_table(title: str, result: dict[str, Any]) -> None:
    print(f"{title}: median {result['median_bytes']:.0f} B, max {result['max_bytes']} B per document")
    print(
        f"{'kind':<18}{'docs':>5}{'wall median':>12}{'wall p99':>10}{'cpu median':>12}{'cpu p99':>9}  (ms/KB)"
    )
    for kind, row in result["by_kind"].items():
        print(
            f"{kind:<18}{row['documents']:>5}{row['median_ms_per_kb']:>12.2f}{row['p99_ms_per_kb']:>10.2f}"
            f"{row['median_cpu_ms_per_kb']:>12.2f}{row['p99_cpu_ms_per_kb']:>9.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--long-bytes", type=int, default=4096)
    args = parser.parse_args()
    documents = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines()]
    analyzer = PiiAnalyzer()
    for doc in documents[:20]:
        analyzer.analyze(doc["text"], PiiRules.default())  # warm-up: spaCy and regex caches
    results = {
        "corpus": measure(analyzer, documents, args.repeat),
        "long": measure(analyzer, long_documents(documents, args.long_bytes), args.repeat),
    }
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    print_table("corpus documents", results["corpus"])
    print_table(f"documents joined to >= {args.long_bytes} B", results["long"])
    out = ROOT / "bench/results/pii_latency.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    record = {"repeat": args.repeat, "load_average_1m": os.getloadavg()[0], **results}
    out.write_text(json.dumps(record, indent=2) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
