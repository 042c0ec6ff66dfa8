"""A labelled document and the builder that keeps character offsets right while text is appended."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ENTITY_TYPES = frozenset(
    {
        "PERSON",
        "STREET_ADDRESS",
        "LOCATION",
        "DATE_TIME",
        "EMAIL_ADDRESS",
        "PHONE_NUMBER",
        "US_SSN",
        "CREDIT_CARD",
        "IBAN_CODE",
        "US_BANK_NUMBER",
        "MEDICAL_RECORD_NUMBER",
        "NPI",
        "HEALTH_PLAN_ID",
        "DEA_NUMBER",
        "US_DRIVER_LICENSE",
        "IP_ADDRESS",
    }
)


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    type: str


@dataclass
class Document:
    kind: str
    generator: str
    text: str
    spans: list[Span] = field(default_factory=list)

    def to_record(self, doc_id: str) -> dict[str, Any]:
        return {
            "id": doc_id,
            "kind": self.kind,
            "generator": self.generator,
            "text": self.text,
            "spans": [
                {"start": s.start, "end": s.end, "type": s.type}
                for s in sorted(self.spans, key=lambda s: s.start)
            ],
        }


class DocumentBuilder:
    """Append plain text with ``add`` and labelled values with ``pii``; offsets are computed as we go."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._length = 0
        self._spans: list[Span] = []

    def add(self, text: str) -> DocumentBuilder:
        self._parts.append(text)
        self._length += len(text)
        return self

    def pii(self, value: str, entity_type: str) -> DocumentBuilder:
        if entity_type not in ENTITY_TYPES:
            raise ValueError(f"unknown entity type {entity_type}")
        self._spans.append(Span(self._length, self._length + len(value), entity_type))
        return self.add(value)

    @property
    def has_pii(self) -> bool:
        return bool(self._spans)

    def build(self, kind: str, generator: str) -> Document:
        return Document(kind, generator, "".join(self._parts), list(self._spans))
