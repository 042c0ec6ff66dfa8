"""One made-up person whose details stay consistent within a generated document."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from tests.data.pii.independent import contact, identifiers, names, places


@dataclass(frozen=True)
class Persona:
    name: names.Name
    dob: dt.date
    event: dt.date
    address: str
    city: str
    phone: str
    email: str
    ssn: str
    card: str
    iban: str
    account: str
    mrn: str
    plan_id: str
    licence_state: str
    licence: str
    ip: str

    def written_name(self, rng: random.Random, casing: str = "natural") -> str:
        return names.render_name(rng, self.name, casing)


def make_persona(rng: random.Random) -> Persona:
    name = names.random_name(rng)
    state, licence = identifiers.driver_license(rng)
    return Persona(
        name=name,
        dob=contact.random_date(rng, 1931, 2019),
        event=contact.random_date(rng, 2019, 2026),
        address=places.street_address(rng),
        city=places.location(rng),
        phone=contact.phone(rng),
        email=contact.email(rng, name),
        ssn=identifiers.ssn(rng),
        card=identifiers.credit_card(rng),
        iban=identifiers.iban(rng),
        account=identifiers.bank_account(rng),
        mrn=identifiers.mrn(rng),
        plan_id=identifiers.health_plan_id(rng),
        licence_state=state,
        licence=licence,
        ip=contact.ip_address(rng),
    )


def clinician(rng: random.Random) -> tuple[names.Name, str, str]:
    """A prescriber: name, NPI and DEA number (DEA's second letter follows the surname)."""
    name = names.random_name(rng)
    return name, identifiers.npi(rng), identifiers.dea(rng, name.family)
