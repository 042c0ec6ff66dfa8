"""Time ``PiiAnalyzer.analyze`` per document of the labelled corpus and report ms per KB.

    .venv/bin/python bench/pii_latency.py [--repeat 3]

Each document is analysed ``repeat`` times after a warm-up; its time is the median of those runs,
divided by its size in KB (1024 bytes of UTF-8). Prints median and p99 over documents (overall and per
kind) and writes JSON to bench/results/pii_latency.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gateway.pii.analyzer import PiiAnalyzer
from gateway.pii.rules import PiiRules

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests/data/pii/corpus.jsonl"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    documents = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines()]
    analyzer, rules = PiiAnalyzer(), PiiRules.default()
    for doc in documents[:20]:
        analyzer.analyze(doc["text"], rules)  # warm-up: spaCy and regex caches
    per_kb: dict[str, list[float]] = {}
    for doc in documents:
        runs = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            analyzer.analyze(doc["text"], rules)
            runs.append((time.perf_counter() - started) * 1000)
        kb = len(doc["text"].encode("utf-8")) / 1024
        per_kb.setdefault(doc["kind"], []).append(statistics.median(runs) / kb)
    all_values = [v for values in per_kb.values() for v in values]
    rows = {kind: values for kind, values in sorted(per_kb.items())} | {"ALL": all_values}
    print(f"{'kind':<20}{'docs':>6}{'median ms/KB':>14}{'p99 ms/KB':>11}")
    summary = {}
    for kind, values in rows.items():
        summary[kind] = {
            "documents": len(values),
            "median_ms_per_kb": round(statistics.median(values), 2),
            "p99_ms_per_kb": round(percentile(values, 0.99), 2),
        }
        print(
            f"{kind:<20}{len(values):>6}{summary[kind]['median_ms_per_kb']:>14.2f}"
            f"{summary[kind]['p99_ms_per_kb']:>11.2f}"
        )
    sizes = [len(d["text"].encode("utf-8")) for d in documents]
    print(f"document size: median {statistics.median(sizes):.0f} B, max {max(sizes)} B")
    out = ROOT / "bench/results/pii_latency.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"repeat": args.repeat, "by_kind": summary}, indent=2) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
