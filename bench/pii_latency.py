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
    rules = PiiRules.default()
    per_kb: dict[str, list[float]] = {}
    for doc in documents:
        runs = []
        for _ in range(repeat):
            started = time.perf_counter()
            analyzer.analyze(doc["text"], rules)
            runs.append((time.perf_counter() - started) * 1000)
        kb = len(doc["text"].encode("utf-8")) / 1024
        per_kb.setdefault(doc["kind"], []).append(statistics.median(runs) / kb)
    all_values = [v for values in per_kb.values() for v in values]
    rows = {kind: values for kind, values in sorted(per_kb.items())} | {"ALL": all_values}
    summary = {
        kind: {
            "documents": len(values),
            "median_ms_per_kb": round(statistics.median(values), 2),
            "p99_ms_per_kb": round(percentile(values, 0.99), 2),
        }
        for kind, values in rows.items()
    }
    sizes = [len(d["text"].encode("utf-8")) for d in documents]
    return {"by_kind": summary, "median_bytes": statistics.median(sizes), "max_bytes": max(sizes)}


def print_table(title: str, result: dict[str, Any]) -> None:
    print(f"{title}: median {result['median_bytes']:.0f} B, max {result['max_bytes']} B per document")
    print(f"{'kind':<20}{'docs':>6}{'median ms/KB':>14}{'p99 ms/KB':>11}")
    for kind, row in result["by_kind"].items():
        print(f"{kind:<20}{row['documents']:>6}{row['median_ms_per_kb']:>14.2f}{row['p99_ms_per_kb']:>11.2f}")


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
    print_table("corpus documents", results["corpus"])
    print_table(f"documents joined to >= {args.long_bytes} B", results["long"])
    out = ROOT / "bench/results/pii_latency.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"repeat": args.repeat, **results}, indent=2) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
