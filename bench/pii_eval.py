"""Score the PII detector on the labelled corpus: per-type recall, precision, F2, leaks, no-PII FPs.

    .venv/bin/python bench/pii_eval.py [--split heldout|dev|all] [--corpus tests/data/pii/corpus.jsonl]
    .venv/bin/python bench/pii_eval.py --data tests/data/pii/independent/dev.jsonl

A gold span counts as caught when at least 90% of its non-space characters lie inside predicted spans
(of any type: an MRN redacted as a phone number still does not leak); a document leaks when any of its
spans is not caught. A predicted span is correct when it overlaps a gold span. Bank identifiers (ABA
routing, SWIFT/BIC) name an institution, not a person: their gold spans are not scored as PII, as in
the independent set. Prints a table and writes JSON to bench/results/pii_eval_<name>.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gateway.pii.analyzer import PiiAnalyzer
from gateway.pii.nlp_engine import DEFAULT_SPACY_MODEL
from gateway.pii.rules import PiiRules
from gateway.pii.scan import scan_text

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT / "tests/data/pii/corpus.jsonl"
Span = tuple[int, int, str]
# A span is caught when this share of its non-space characters is redacted (the measure).
COVERAGE = 0.9
NOT_PERSONAL = frozenset({"ABA_ROUTING_NUMBER", "SWIFT_CODE"})


def load(corpus: Path, split: str, template_set: str = "all") -> list[dict[str, Any]]:
    documents = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines() if line]
    for doc in documents:
        doc["spans"] = [s for s in doc["spans"] if s["type"] not in NOT_PERSONAL]
    return [
        d
        for d in documents
        if (split == "all" or d.get("split", split) == split)
        and (template_set == "all" or d.get("template_set", "seen") == template_set)
    ]


def caught(text: str, gold: Span, predicted: list[Span]) -> bool:
    covered: set[int] = set()
    for start, end, _ in predicted:
        covered.update(range(max(start, gold[0]), min(end, gold[1])))
    chars = [i for i in range(gold[0], gold[1]) if not text[i].isspace()]
    return sum(i in covered for i in chars) >= COVERAGE * len(chars)


def score(documents: list[dict[str, Any]], predictions: dict[str, list[Span]]) -> dict[str, Any]:
    gold_total: Counter[str] = Counter()
    gold_caught: Counter[str] = Counter()
    pred_total: Counter[str] = Counter()
    pred_correct: Counter[str] = Counter()
    leaking, pii_docs, no_pii_docs, no_pii_flagged = 0, 0, 0, 0
    predicted_chars, predicted_chars_in_gold = 0, 0
    misses: list[dict[str, Any]] = []
    for doc in documents:
        text, predicted = doc["text"], predictions[doc["id"]]
        gold = [(s["start"], s["end"], s["type"]) for s in doc["spans"]]
        for span in gold:
            gold_total[span[2]] += 1
            if caught(text, span, predicted):
                gold_caught[span[2]] += 1
            else:
                misses.append({"id": doc["id"], "type": span[2], "text": text[span[0] : span[1]]})
        gold_chars = {i for g_start, g_end, _ in gold for i in range(g_start, g_end)}
        for start, end, _ in predicted:
            chars = [i for i in range(start, end) if text[i].isalnum()]
            predicted_chars += len(chars)
            predicted_chars_in_gold += sum(i in gold_chars for i in chars)
        for start, end, kind in predicted:
            pred_total[kind] += 1
            pred_correct[kind] += any(start < g_end and g_start < end for g_start, g_end, _ in gold)
        if gold:
            pii_docs += 1
            leaking += any(not caught(text, span, predicted) for span in gold)
        else:
            no_pii_docs += 1
            no_pii_flagged += bool(predicted)
    per_type = {
        kind: _row(gold_total[kind], gold_caught[kind], pred_total[kind], pred_correct[kind])
        for kind in sorted(set(gold_total) | set(pred_total))
    }
    overall = _row(
        sum(gold_total.values()),
        sum(gold_caught.values()),
        sum(pred_total.values()),
        sum(pred_correct.values()),
    )
    return {
        "documents": len(documents),
        "per_type": per_type,
        "overall": overall,
        "leak_share": leaking / pii_docs if pii_docs else 0.0,
        "no_pii_flagged_share": no_pii_flagged / no_pii_docs if no_pii_docs else 0.0,
        "no_pii_documents": no_pii_docs,
        # Stricter than span precision: the share of redacted letters and digits that were PII.
        "char_precision": round(predicted_chars_in_gold / predicted_chars, 4) if predicted_chars else 1.0,
        "misses": misses,
    }


def _row(gold: int, hit: int, predicted: int, correct: int) -> dict[str, float | int]:
    recall = hit / gold if gold else 1.0
    precision = correct / predicted if predicted else 1.0
    f2 = 5 * precision * recall / (4 * precision + recall) if precision + recall else 0.0
    return {
        "gold": gold,
        "recall": round(recall, 4),
        "predicted": predicted,
        "precision": round(precision, 4),
        "f2": round(f2, 4),
    }


def print_table(result: dict[str, Any], split: str) -> None:
    print(f"split={split} documents={result['documents']}")
    print(f"{'type':<24}{'gold':>6}{'recall':>9}{'pred':>6}{'precision':>11}{'F2':>8}")
    for kind, row in [*result["per_type"].items(), ("OVERALL", result["overall"])]:
        print(
            f"{kind:<24}{row['gold']:>6}{row['recall']:>9.4f}{row['predicted']:>6}"
            f"{row['precision']:>11.4f}{row['f2']:>8.4f}"
        )
    print(f"character precision (redacted letters/digits that were PII): {result['char_precision']:.4f}")
    print(f"documents leaking any span: {result['leak_share']:.4f}")
    print(
        f"no-PII documents with any redaction: {result['no_pii_flagged_share']:.4f} "
        f"(of {result['no_pii_documents']})"
    )


def stock_presidio_predictions(documents: list[dict[str, Any]]) -> dict[str, list[Span]]:
    """Plain Presidio (all default recognizers, full spaCy pipeline, default threshold), for comparison."""
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    configuration = {
        "nlp_engine_name": "spacy",
        "models": [{"lang_code": "en", "model_name": DEFAULT_SPACY_MODEL}],
    }
    engine = AnalyzerEngine(nlp_engine=NlpEngineProvider(nlp_configuration=configuration).create_engine())
    return {
        d["id"]: [(r.start, r.end, r.entity_type) for r in engine.analyze(text=d["text"], language="en")]
        for d in documents
    }


def evaluate(
    split: str, corpus: Path = DEFAULT_CORPUS, template_set: str = "all", stock: bool = False
) -> dict[str, Any]:
    documents = load(corpus, split, template_set)
    started = time.perf_counter()
    if stock:
        predictions = stock_presidio_predictions(documents)
    else:
        analyzer, rules = PiiAnalyzer(), PiiRules.default()
        predictions = {
            d["id"]: [(f.start, f.end, f.entity_type) for f in scan_text(analyzer, d["text"], rules)]
            for d in documents
        }
    result = score(documents, predictions)
    result["seconds"] = round(time.perf_counter() - started, 2)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="heldout", choices=["heldout", "dev", "all"])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--data", type=Path, help="a JSONL set without splits, e.g. the independent dev set")
    parser.add_argument(
        "--template-set",
        default="all",
        choices=["all", "seen", "novel"],
        help="novel: only held-out documents written from sentences never used for tuning",
    )
    parser.add_argument("--show-misses", action="store_true")
    parser.add_argument("--stock-presidio", action="store_true", help="score plain Presidio instead")
    args = parser.parse_args()
    corpus, split = (args.data, "all") if args.data else (args.corpus, args.split)
    result = evaluate(split, corpus, args.template_set, args.stock_presidio)
    label = "stock Presidio" if args.stock_presidio else "Bulwark"
    name = f"{corpus.parent.name}_{corpus.stem}" if args.data else f"{args.split}_{args.template_set}"
    print_table(result, f"{name} ({label})")
    if args.show_misses:
        for miss in result["misses"]:
            print("MISS", miss)
    suffix = "_stock_presidio" if args.stock_presidio else ""
    out = ROOT / "bench/results" / f"pii_eval_{name}{suffix}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
