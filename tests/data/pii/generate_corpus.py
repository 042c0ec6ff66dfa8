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

from tests.data.pii.fake_values import FIRST_NAMES, LAST_NAMES, Fakes
from tests.data.pii.templates import NO_PII_KINDS, PII_KINDS

SEED = 20261124
DOCS_PER_PII_KIND = 28
DOCS_PER_NO_PII_KIND = 18
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
        self.patient = (rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES))

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


def _record(doc_id: str, kind: str, text: str, spans: list[dict[str, Any]]) -> dict[str, Any]:
    return {"id": doc_id, "kind": kind, "split": split_of(doc_id), "text": text, "spans": spans}


def build_corpus() -> list[dict[str, Any]]:
    rng = random.Random(SEED)
    documents = [pii_document(kind, i, rng) for kind in PII_KINDS for i in range(DOCS_PER_PII_KIND)]
    documents += [no_pii_document(kind, i, rng) for kind in NO_PII_KINDS for i in range(DOCS_PER_NO_PII_KIND)]
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
