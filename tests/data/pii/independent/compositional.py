"""Generator 1: documents composed from shuffled sentence fragments, each value in a random format."""

from __future__ import annotations

import random

from tests.data.pii.independent.document import Document, DocumentBuilder
from tests.data.pii.independent.fragments import KINDS, NO_PII
from tests.data.pii.independent.persona import make_persona
from tests.data.pii.independent.slots import fill, slot_table

GENERATOR = "compositional"


def _joiner(kind: str) -> str:
    return "" if kind == "call_transcript" else "\n" if kind in {"lab_report", "discharge_summary"} else " "


def _with_pii(rng: random.Random, kind: str) -> Document:
    parts = KINDS[kind]
    table = slot_table(rng, make_persona(rng))
    lower = kind == "call_transcript" and rng.random() < 0.7
    builder = DocumentBuilder()
    fill(builder, rng.choice(parts["open"]), table, lower)
    bodies = rng.sample(parts["body"], k=min(len(parts["body"]), rng.randint(3, 6)))
    for fragment in bodies:
        builder.add(_joiner(kind))
        fill(builder, fragment, table, lower)
    if rng.random() < 0.7:
        builder.add("\n" if kind != "call_transcript" else "")
        fill(builder, rng.choice(parts["close"]), table, lower)
    return builder.build(kind, GENERATOR)


def _without_pii(rng: random.Random) -> Document:
    family = rng.choice(sorted(NO_PII))
    table = slot_table(rng, make_persona(rng))
    builder = DocumentBuilder()
    for index, fragment in enumerate(rng.sample(NO_PII[family], k=rng.randint(3, 5))):
        builder.add(" " if index else "")
        fill(builder, fragment, table)
    kind = "policy_memo" if family == "clinical" else "ops_bulletin"
    return builder.build(kind, GENERATOR)


def generate(rng: random.Random, count: int) -> list[Document]:
    kinds = sorted(KINDS)
    documents = []
    for index in range(count):
        if index % 5 == 4:  # every fifth document carries only distractors
            documents.append(_without_pii(rng))
        else:
            documents.append(_with_pii(rng, rng.choice(kinds)))
    return documents
