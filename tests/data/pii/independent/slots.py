"""Fills "{slot}" holes in a fragment with freshly formatted values, labelling those that are personal."""

from __future__ import annotations

import random
import re
from collections.abc import Callable

from tests.data.pii.independent import contact, distractors, identifiers, names, places
from tests.data.pii.independent.document import DocumentBuilder
from tests.data.pii.independent.persona import Persona, clinician

SlotValue = tuple[str, str | None]
_HOLE = re.compile(r"\{(\w+)\}")


def slot_table(rng: random.Random, p: Persona) -> dict[str, Callable[[], SlotValue]]:
    doc_name, npi, dea = clinician(rng)
    relative = names.random_name(rng)
    return {
        "name": lambda: (p.written_name(rng), "PERSON"),
        "given": lambda: (p.name.given, "PERSON"),
        "family": lambda: (p.name.family, "PERSON"),
        "relative": lambda: (names.render_name(rng, relative), "PERSON"),
        "doc": lambda: (
            rng.choice([doc_name.full, doc_name.family, f"{doc_name.given[0]}. {doc_name.family}"]),
            "PERSON",
        ),
        "npi": lambda: (npi, "NPI"),
        "dea": lambda: (dea, "DEA_NUMBER"),
        "dob": lambda: (contact.render_date(rng, p.dob), "DATE_TIME"),
        "eudob": lambda: (contact.render_date(rng, p.dob, european=True), "DATE_TIME"),
        "date": lambda: (contact.render_date(rng, p.event), "DATE_TIME"),
        "eudate": lambda: (contact.render_date(rng, p.event, european=True), "DATE_TIME"),
        "datetime": lambda: (contact.render_datetime(rng, p.event), "DATE_TIME"),
        "addr": lambda: (p.address, "STREET_ADDRESS"),
        "newaddr": lambda: (places.street_address(rng), "STREET_ADDRESS"),
        "city": lambda: (p.city, "LOCATION"),
        "place": lambda: (places.location(rng), "LOCATION"),
        "phone": lambda: (p.phone, "PHONE_NUMBER"),
        "phone2": lambda: (contact.phone(rng), "PHONE_NUMBER"),
        "email": lambda: (p.email, "EMAIL_ADDRESS"),
        "oemail": lambda: (contact.email(rng, p.name, obfuscate=True), "EMAIL_ADDRESS"),
        "ssn": lambda: (p.ssn, "US_SSN"),
        "card": lambda: (p.card, "CREDIT_CARD"),
        "iban": lambda: (p.iban, "IBAN_CODE"),
        "acct": lambda: (p.account, "US_BANK_NUMBER"),
        "mrn": lambda: (p.mrn, "MEDICAL_RECORD_NUMBER"),
        "plan": lambda: (p.plan_id, "HEALTH_PLAN_ID"),
        "dl": lambda: (p.licence, "US_DRIVER_LICENSE"),
        "dlstate": lambda: (p.licence_state, None),
        "ip": lambda: (p.ip, "IP_ADDRESS"),
        "ip2": lambda: (contact.ip_address(rng), "IP_ADDRESS"),
        "routing": lambda: (distractors.aba_routing(rng), None),
        "swift": lambda: (rng.choice(distractors.SWIFT_CODES), None),
        "code": lambda: (distractors.clinical_code(rng), None),
        "lab": lambda: (rng.choice(distractors.LABS), None),
        "dose": lambda: (rng.choice(distractors.DOSES), None),
        "eponym": lambda: (rng.choice(distractors.EPONYMS), None),
        "finding": lambda: (rng.choice(distractors.EPONYM_FINDINGS), None),
        "drug": lambda: (rng.choice(distractors.STREET_DRUGS), None),
        "ref": lambda: (distractors.reference(rng), None),
        "dur": lambda: (rng.choice(distractors.DURATIONS), None),
        "amount": lambda: (
            f"{rng.choice(['$', 'USD ', '£', 'EUR '])}{rng.randint(20, 98000):,}.{rng.randint(0, 99):02d}",
            None,
        ),
        "age": lambda: (str(rng.randint(19, 93)), None),
        "digits": lambda: (identifiers.digits(rng, rng.choice([4, 5, 6])), None),
    }


def fill(
    builder: DocumentBuilder, fragment: str, table: dict[str, Callable[[], SlotValue]], lower: bool = False
) -> None:
    """Writes ``fragment`` into ``builder``; ``lower`` mimics transcribed speech (values lowercased too)."""
    cursor = 0
    for match in _HOLE.finditer(fragment):
        literal = fragment[cursor : match.start()]
        builder.add(literal.lower() if lower else literal)
        value, entity_type = table[match.group(1)]()
        value = value.lower() if lower else value
        if entity_type is None:
            builder.add(value)
        else:
            builder.pii(value, entity_type)
        cursor = match.end()
    tail = fragment[cursor:]
    builder.add(tail.lower() if lower else tail)


def slots_in(fragment: str) -> set[str]:
    return set(_HOLE.findall(fragment))
