"""Builds dev.jsonl and test.jsonl. Seeded: running it again rewrites both files byte for byte.

python -m tests.data.pii.independent.build [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import random
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from tests.data.pii.independent import (
    compositional,
    handwritten,
    prose_dev_finance,
    prose_dev_health,
    prose_test_finance,
    prose_test_health,
    records,
)
from tests.data.pii.independent.document import Document
from tests.data.pii.independent.handwritten import Prose


@dataclass(frozen=True)
class SplitPlan:
    compositional_seed: int
    records_seed: int
    prose: list[Prose]


# Separate seeds per split and generator, and separate hand-written documents, so that test documents are
# not near-copies of dev documents.
_SPLITS = {
    "dev": SplitPlan(1_101, 2_202, prose_dev_health.DOCS + prose_dev_finance.DOCS),
    "test": SplitPlan(9_909, 8_808, prose_test_health.DOCS + prose_test_finance.DOCS),
}
_COMPOSITIONAL_DOCS = 135
_RECORD_DOCS = 130


def build_split(name: str) -> list[dict[str, object]]:
    plan = _SPLITS[name]
    documents: list[Document] = []
    documents += compositional.generate(random.Random(plan.compositional_seed), _COMPOSITIONAL_DOCS)
    documents += records.generate(random.Random(plan.records_seed), _RECORD_DOCS)
    documents += handwritten.documents(plan.prose)
    counters: Counter[str] = Counter()
    out = []
    for document in documents:
        counters[document.generator] += 1
        out.append(document.to_record(f"{name}-{document.generator}-{counters[document.generator]:04d}"))
    return out


def serialise(rows: list[dict[str, object]]) -> str:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


def summary(rows: list[dict[str, object]]) -> dict[str, object]:
    spans = [span for row in rows for span in row["spans"]]  # type: ignore[attr-defined]
    return {
        "documents": len(rows),
        "spans": len(spans),
        "no_pii_fraction": round(sum(1 for row in rows if not row["spans"]) / len(rows), 3),
        "per_generator": dict(sorted(Counter(str(row["generator"]) for row in rows).items())),
        "per_type": dict(sorted(Counter(span["type"] for span in spans).items())),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent)
    args = parser.parse_args()
    for name in _SPLITS:
        rows = build_split(name)
        (args.out / f"{name}.jsonl").write_text(serialise(rows), encoding="utf-8")
        print(name, json.dumps(summary(rows)))


if __name__ == "__main__":
    main()
