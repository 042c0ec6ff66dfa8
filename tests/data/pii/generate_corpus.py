"""Write the labelled PII corpus: ``python -m tests.data.pii.generate_corpus`` (seeded, reproducible).

Each line of ``corpus.jsonl``: id, kind, split ("dev" or "heldout"), text, spans [{start, end, type}].
The split is a hash of the id, fixed before any tuning: recognizers are tuned on "dev" only.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from pathlib import Path
from typing import Any

from tests.data.pii.fake_values import Fakes
from tests.data.pii.novel_templates import (
    NOVEL_FIRST_NAMES,
    NOVEL_LAST_NAMES,
    NOVEL_NO_PII,
    NOVEL_PII_KINDS,
)
from tests.data.pii.templates import NO_PII_KINDS, PII_KINDS

SEED = 20261124
DOCS_PER_PII_KIND = 28
DOCS_PER_NO_PII_KIND = 18
DOCS_PER_NOVEL_KIND = 20
CORPUS = Path(__file__).with_name("corpus.jsonl")
_SLOT = re.compile(r"\{([A-Z]+)(?::(\w+))?\}")
_TYPES = {
    "PATIENT": "PERSON",
    "PERSON": "PERSON",
    "MRN": "MEDICAL_RECORD_NUMBER",
    "SSN": "US_SSN",
    "PHONE": "PHONE_NUMBER",
    "EMAIL": "EMAIL_ADDRESS",
    "CARD": "CREDIT_CARD",
    "IBAN": "IBAN_CODE",
    "SWIFT": "SWIFT_CODE",
    "ABA": "ABA_ROUTING_NUMBER",
    "ACCOUNT": "US_BANK_NUMBER",
    "NPI": "NPI",
    "PLAN": "HEALTH_PLAN_ID",
    "DEA": "DEA_NUMBER",
    "DL": "US_DRIVER_LICENSE",
    "ADDRESS": "STREET_ADDRESS",
    "DATE": "DATE_TIME",
    "IP": "IP_ADDRESS",
}


def split_of(doc_id: str) -> str:
    return "heldout" if int(hashlib.sha256(doc_id.encode()).hexdigest(), 16) % 3 == 0 else "dev"


class DocumentBuilder:
    def __init__(self, fakes: Fakes, rng: random.Random) -> None:
        self.fakes, self.rng = fakes, rng
        self.text = ""
        self.spans: list[dict[str, Any]] = []
        self.patient = (rng.choice(fakes.first_names), rng.choice(fakes.last_names))

    def add(self, template: str) -> None:
        position = 0
        for match in _SLOT.finditer(template):
            self.text += template[position : match.start()]
            slot, style = match.group(1), match.group(2) or ""
            value = self._value(slot, style)
            self.spans.append(
                {"start": len(self.text), "end": len(self.text) + len(value), "type": _TYPES[slot]}
            )
            self.text += value
            position = match.end()
        self.text += template[position:]

    def _value(self, slot: str, style: str) -> str:
        if slot == "PATIENT":
            return _styled_name(self.patient, style, self.rng)
        if slot == "ADDRESS":
            separator = self.rng.choice([", ", "\n"])
            return self.fakes.street() + separator + self.fakes.city_line()
        method = {
            "PERSON": "person",
            "MRN": "mrn",
            "SSN": "ssn",
            "PHONE": "phone",
            "EMAIL": "email",
            "CARD": "card",
            "IBAN": "iban",
            "SWIFT": "swift",
            "ABA": "aba",
            "ACCOUNT": "account",
            "NPI": "npi",
            "PLAN": "plan_id",
            "DEA": "dea",
            "DL": "driver_license",
            "DATE": "date",
            "IP": "ip",
        }[slot]
        value: str = getattr(self.fakes, method)(style) if slot == "PERSON" else getattr(self.fakes, method)()
        return value


def _styled_name(name: tuple[str, str], style: str, rng: random.Random) -> str:
    first, last = name
    return {
        "first_last": f"{first} {last}",
        "last_first": f"{last}, {first}",
        "LAST_first": f"{last.upper()}, {first}",
        "initial_last": f"{first[0]}. {last}",
        "first": first,
        "last": last,
        "first_mi_last": f"{first} {rng.choice('ABCDEJKLMRST')}. {last}",
    }[style or "first_last"]


def pii_document(kind: str, index: int, rng: random.Random) -> dict[str, Any]:
    pii_sentences, filler = PII_KINDS[kind]
    builder = DocumentBuilder(Fakes(rng), rng)
    chosen = [pii_sentences[0], *rng.sample(pii_sentences[1:], k=rng.randint(3, len(pii_sentences) - 1))]
    chosen[1:] = sorted(chosen[1:], key=pii_sentences.index)
    fillers = rng.sample(filler, k=rng.randint(1, 3))
    for sentence in chosen:
        builder.add(sentence)
        builder.text += "\n" if sentence.startswith(("Sincerely", "Thanks", "Regards")) else " "
        if fillers and rng.random() < 0.4:
            builder.text += fillers.pop() + " "
    for sentence in fillers:
        builder.text += sentence + " "
    return _record(f"{kind}-{index:03d}", kind, builder.text.rstrip(), builder.spans)


def no_pii_document(kind: str, index: int, rng: random.Random) -> dict[str, Any]:
    lines = NO_PII_KINDS[kind]
    chosen = [lines[0], *rng.sample(lines[1:], k=rng.randint(3, len(lines) - 1))]
    separator = "\n" if kind in {"dosage_table", "code"} else " "
    return _record(f"{kind}-{index:03d}", kind, separator.join(chosen), [])


def novel_pii_document(kind: str, index: int, rng: random.Random) -> dict[str, Any]:
    sentences = NOVEL_PII_KINDS[kind]
    builder = DocumentBuilder(Fakes(rng, NOVEL_FIRST_NAMES, NOVEL_LAST_NAMES), rng)
    for sentence in sorted(rng.sample(sentences, k=rng.randint(4, 6)), key=sentences.index):
        builder.add(sentence)
        builder.text += rng.choice([" ", "\n"])
    return _record(f"{kind}-{index:03d}", kind, builder.text.rstrip(), builder.spans, novel=True)


def novel_no_pii_document(index: int, rng: random.Random) -> dict[str, Any]:
    text = " ".join(rng.sample(NOVEL_NO_PII, k=rng.randint(3, 5)))
    return _record(f"novel_no_pii-{index:03d}", "novel_no_pii", text, [], novel=True)


def _record(
    doc_id: str, kind: str, text: str, spans: list[dict[str, Any]], novel: bool = False
) -> dict[str, Any]:
    # Novel-template documents are always held out: nothing in them was seen while tuning.
    split = "heldout" if novel else split_of(doc_id)
    template_set = "novel" if novel else "seen"
    return {
        "id": doc_id,
        "kind": kind,
        "split": split,
        "template_set": template_set,
        "text": text,
        "spans": spans,
    }


def build_corpus() -> list[dict[str, Any]]:
    rng = random.Random(SEED)
    documents = [pii_document(kind, i, rng) for kind in PII_KINDS for i in range(DOCS_PER_PII_KIND)]
    documents += [no_pii_document(kind, i, rng) for kind in NO_PII_KINDS for i in range(DOCS_PER_NO_PII_KIND)]
    # A separate generator, so adding novel documents leaves every earlier document unchanged.
    novel = random.Random(SEED + 1)
    documents += [
        novel_pii_document(kind, i, novel) for kind in NOVEL_PII_KINDS for i in range(DOCS_PER_NOVEL_KIND)
    ]
    documents += [novel_no_pii_document(i, novel) for i in range(DOCS_PER_NOVEL_KIND)]
    return documents


def main() -> None:
    documents = build_corpus()
    with CORPUS.open("w", encoding="utf-8") as out:
        for document in documents:
            out.write(json.dumps(document, ensure_ascii=False) + "\n")
    held = sum(d["split"] == "heldout" for d in documents)
    print(f"wrote {len(documents)} documents ({held} held out) to {CORPUS}")


if __name__ == "__main__":
    main()
