"""PII in the fields of standard record formats, found by position or key, not by shape.

- HL7 v2 (segments separated by carriage returns, fields by ``|``, components by ``^``): PID-3 patient
  id, PID-5 name, PID-7 birth date, PID-11 address, PID-13/14 phones, PID-19 SSN, PID-20 licence;
  PV1-7/8/9/17 doctors (id ^ family ^ given); IN1-35/36 plan code and policy number. Positions are the standard's.
- FHIR JSON: ``family`` / ``given`` names, ``birthDate``, address ``line`` / ``city`` / ``postalCode``,
  ``telecom`` values, and identifiers whose ``system`` names a record or member number.
- SWIFT MT103: ordering (``:50a:``) and beneficiary (``:59a:``) parties: account, name, address lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from presidio_analyzer import LocalRecognizer, RecognizerResult

from gateway.pii import entity_types as et

Span = tuple[int, int, str]
_SEGMENT = re.compile(r"(?:^|(?<=[\r\n]))(PID|PV1|IN1)\|[^\r\n]*")
_PID_FIELDS = {
    3: et.MEDICAL_RECORD_NUMBER,
    5: et.PERSON,
    7: et.DATE_TIME,
    11: et.STREET_ADDRESS,
    13: et.PHONE_NUMBER,
    14: et.PHONE_NUMBER,
    19: et.US_SSN,
    20: et.US_DRIVER_LICENSE,
}
_DOCTOR_FIELDS = (7, 8, 9, 17)
_FHIR = re.compile(
    r'"(?P<key>family|given|birthDate|line|city|postalCode|district)"\s*:\s*\[?\s*"(?P<value>[^"]+)"'
)
_FHIR_TYPES = {
    "family": et.PERSON,
    "given": et.PERSON,
    "birthDate": et.DATE_TIME,
    "line": et.STREET_ADDRESS,
    "city": et.LOCATION,
    "postalCode": et.STREET_ADDRESS,
    "district": et.LOCATION,
}
_FHIR_IDENTIFIER = re.compile(r'"system"\s*:\s*"(?P<system>[^"]*)"\s*,\s*"value"\s*:\s*"(?P<value>[^"]+)"')
_FHIR_SYSTEMS = (
    ("mrn", et.MEDICAL_RECORD_NUMBER),
    ("member", et.HEALTH_PLAN_ID),
    ("phone", et.PHONE_NUMBER),
    ("ssn", et.US_SSN),
    ("npi", et.NPI),
)
_SWIFT_PARTY = re.compile(
    r"(?m)^:(?:50[AFK]?|59[AF]?):(?:/(?P<account>[^\n]+)\n)?(?P<lines>(?:(?!:\d{2}[A-Z]?:)[^\n]+\n?){1,4})"
)


class RecordFieldRecognizer(LocalRecognizer):
    def __init__(self) -> None:
        types = [
            et.PERSON,
            et.MEDICAL_RECORD_NUMBER,
            et.DATE_TIME,
            et.STREET_ADDRESS,
            et.PHONE_NUMBER,
            et.US_SSN,
            et.US_DRIVER_LICENSE,
            et.NPI,
            et.HEALTH_PLAN_ID,
            et.LOCATION,
            et.US_BANK_NUMBER,
        ]
        super().__init__(supported_entities=types, name="RecordFieldRecognizer", supported_language="en")

    def load(self) -> None:
        """Nothing to load."""

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[RecognizerResult]:
        spans: list[Span] = []
        if "|" in text:
            spans.extend(_hl7_spans(text))
        if '"' in text:
            spans.extend(_fhir_spans(text))
        if ":5" in text:
            spans.extend(_swift_spans(text))
        return [self._result(s) for s in spans if s[2] in entities and s[1] > s[0]]

    def _result(self, span: Span) -> RecognizerResult:
        return RecognizerResult(
            entity_type=span[2],
            start=span[0],
            end=span[1],
            score=0.85,
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: "RecordFieldRecognizer",
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
            },
        )


def _fields(segment: re.Match[str]) -> Iterator[tuple[int, int, int]]:
    """(field number, start, end) of each field of an HL7 segment, in text coordinates."""
    position = segment.start()
    for number, value in enumerate(segment.group().split("|")):
        yield number, position, position + len(value)
        position += len(value) + 1


def _hl7_spans(text: str) -> Iterator[Span]:
    for segment in _SEGMENT.finditer(text):
        kind = segment.group(1)
        for number, start, end in _fields(segment):
            value = text[start:end]
            if not value.strip("^ "):
                continue
            if kind == "PID" and number in _PID_FIELDS:
                entity = _PID_FIELDS[number]
                if entity in (et.MEDICAL_RECORD_NUMBER, et.US_SSN, et.US_DRIVER_LICENSE, et.PHONE_NUMBER):
                    end = start + len(value.split("^")[0])  # the id, not its assigning authority
                yield start, end, entity
            elif kind == "PV1" and number in _DOCTOR_FIELDS:
                doctor_id, _, name = value.partition("^")
                if doctor_id:
                    yield start, start + len(doctor_id), et.NPI
                if name.strip("^"):
                    yield start + len(doctor_id) + 1, end, et.PERSON
            elif kind == "IN1" and number in (35, 36):
                yield start, end, et.HEALTH_PLAN_ID


def _fhir_spans(text: str) -> Iterator[Span]:
    for match in _FHIR.finditer(text):
        entity = _FHIR_TYPES.get(match.group("key"))
        if entity is None:
            continue
        yield match.start("value"), match.end("value"), entity
    for match in _FHIR_IDENTIFIER.finditer(text):
        system = match.group("system").casefold()
        for word, entity in _FHIR_SYSTEMS:
            if word in system:
                yield match.start("value"), match.end("value"), entity
                break


def _swift_spans(text: str) -> Iterator[Span]:
    for party in _SWIFT_PARTY.finditer(text):
        if party.group("account") is not None:
            yield party.start("account"), party.end("account"), et.US_BANK_NUMBER
        lines = party.group("lines").rstrip("\n")
        first_end = party.start("lines") + len(lines.split("\n")[0])
        yield party.start("lines"), first_end, et.PERSON
        if "\n" in lines:
            yield first_end + 1, party.start("lines") + len(lines), et.STREET_ADDRESS
