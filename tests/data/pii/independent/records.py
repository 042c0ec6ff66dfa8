"""Generator 2: form-like and semi-structured records (key: value forms, CSV, tables, SWIFT MT103-style
wires, KYC forms, HL7 v2 segments, FHIR-ish JSON), each field written straight into the builder."""

from __future__ import annotations

import random
from collections.abc import Callable

from tests.data.pii.independent import contact, distractors, identifiers
from tests.data.pii.independent.document import Document, DocumentBuilder
from tests.data.pii.independent.persona import Persona, clinician, make_persona
from tests.data.pii.independent.record_layouts import Field, csv_rows, key_value, pipe_table

GENERATOR = "records"


def _patient_fields(rng: random.Random, p: Persona) -> list[Field]:
    doc, npi, dea = clinician(rng)
    pool: list[Field] = [
        (
            rng.choice(["Patient", "Name", "PATIENT NAME", "Pt"]),
            p.written_name(rng, rng.choice(["natural", "upper"])),
            "PERSON",
        ),
        (
            rng.choice(["DOB", "Date of birth", "D.O.B.", "Birth date"]),
            contact.render_date(rng, p.dob),
            "DATE_TIME",
        ),
        (rng.choice(["MRN", "Hospital No", "Med Rec #", "Chart"]), p.mrn, "MEDICAL_RECORD_NUMBER"),
        (
            rng.choice(["Member ID", "Subscriber ID", "Policy No", "Medicare MBI"]),
            p.plan_id,
            "HEALTH_PLAN_ID",
        ),
        (rng.choice(["Address", "Home address", "Addr"]), p.address, "STREET_ADDRESS"),
        (rng.choice(["Phone", "Tel", "Mobile", "Cell"]), p.phone, "PHONE_NUMBER"),
        ("Admitted", contact.render_datetime(rng, p.event), "DATE_TIME"),
        (f"DL ({p.licence_state})", p.licence, "US_DRIVER_LICENSE"),
        ("Attending", doc.full, "PERSON"),
        ("Attending NPI", npi, "NPI"),
        ("Prescriber DEA", dea, "DEA_NUMBER"),
        ("Dx", distractors.clinical_code(rng), None),
        ("Meds", rng.choice(distractors.DOSES), None),
        ("Result", rng.choice(distractors.LABS), None),
        ("History", rng.choice(distractors.EPONYMS), None),
        ("Order", distractors.reference(rng), None),
        ("Group", f"GRP-{identifiers.digits(rng, 5)}", None),
    ]
    return rng.sample(pool, k=rng.randint(7, len(pool)))


def _bank_fields(rng: random.Random, p: Persona) -> list[Field]:
    pool: list[Field] = [
        (rng.choice(["Customer", "Account holder", "Full name"]), p.written_name(rng), "PERSON"),
        ("SSN", p.ssn, "US_SSN"),
        ("Date of birth", contact.render_date(rng, p.dob), "DATE_TIME"),
        (rng.choice(["Account no", "Acct #", "Checking account"]), p.account, "US_BANK_NUMBER"),
        ("Routing (ABA)", distractors.aba_routing(rng), None),
        ("SWIFT/BIC", rng.choice(distractors.SWIFT_CODES), None),
        ("IBAN", p.iban, "IBAN_CODE"),
        ("Card", p.card, "CREDIT_CARD"),
        (f"Driver licence ({p.licence_state})", p.licence, "US_DRIVER_LICENSE"),
        ("Residential address", p.address, "STREET_ADDRESS"),
        ("Email", p.email, "EMAIL_ADDRESS"),
        ("Phone", p.phone, "PHONE_NUMBER"),
        ("Login IP", p.ip, "IP_ADDRESS"),
        ("Opened", contact.render_date(rng, p.event), "DATE_TIME"),
        ("Place of birth", p.city, "LOCATION"),
        ("Invoice", distractors.reference(rng), None),
        ("Risk score", f"{rng.randint(1, 99)}/100", None),
    ]
    return rng.sample(pool, k=rng.randint(7, len(pool)))


def _form(rng: random.Random) -> Document:
    p = make_persona(rng)
    medical = rng.random() < 0.5
    fields = _patient_fields(rng, p) if medical else _bank_fields(rng, p)
    builder = DocumentBuilder().add(
        rng.choice(
            ["PATIENT REGISTRATION\n", "Intake form\n"]
            if medical
            else ["KYC FORM\n", "Account opening - customer details\n"]
        )
    )
    layout = rng.choice([key_value, pipe_table])
    layout(builder, fields, rng)
    return builder.build("intake_form" if medical else "kyc_form", GENERATOR)


def _csv(rng: random.Random) -> Document:
    builder = DocumentBuilder()
    rows = [_csv_row(rng) for _ in range(rng.randint(3, 7))]
    csv_rows(builder, ["name", "dob", "email", "phone", "ip", "ticket"], rows)
    return builder.build("csv_export", GENERATOR)


def _csv_row(rng: random.Random) -> list[Field]:
    p = make_persona(rng)
    return [
        ("name", p.written_name(rng), "PERSON"),
        ("dob", contact.render_date(rng, p.dob, european=rng.random() < 0.5), "DATE_TIME"),
        ("email", p.email, "EMAIL_ADDRESS"),
        ("phone", p.phone, "PHONE_NUMBER"),
        ("ip", p.ip, "IP_ADDRESS"),
        ("ticket", distractors.reference(rng), None),
    ]


def _wire(rng: random.Random) -> Document:
    sender, receiver = make_persona(rng), make_persona(rng)
    b = DocumentBuilder().add(
        f"{{1:F01{rng.choice(distractors.SWIFT_CODES)[:8]}AXXX}}{{4:\n:20:{distractors.reference(rng)}\n:32A:"
    )
    b.pii(contact.event_compact(rng, sender.event), "DATE_TIME").add(
        f"USD{rng.randint(100, 90000)},00\n:50K:/"
    )
    b.pii(sender.account, "US_BANK_NUMBER").add("\n").pii(sender.written_name(rng, "upper"), "PERSON").add(
        "\n"
    )
    b.pii(sender.address.upper(), "STREET_ADDRESS").add(
        f"\n:52A:{rng.choice(distractors.SWIFT_CODES)}\n:57A:{rng.choice(distractors.SWIFT_CODES)}\n:59:/"
    )
    b.pii(receiver.iban.replace(" ", ""), "IBAN_CODE").add("\n").pii(
        receiver.written_name(rng, "upper"), "PERSON"
    ).add("\n")
    b.add(
        f":70:{rng.choice(['INVOICE ', 'RENT ', 'SCHOOL FEES '])}{distractors.reference(rng)}\n:71A:SHA\n-}}"
    )
    return b.build("wire_transfer", GENERATOR)


def _hl7(rng: random.Random) -> Document:
    p = make_persona(rng)
    doc, npi, _ = clinician(rng)
    b = (
        DocumentBuilder()
        .add("MSH|^~\\&|LAB|HOSP|EHR|HOSP|")
        .pii(p.event.strftime("%Y%m%d") + "0930", "DATE_TIME")
    )
    b.add(f"||ORU^R01|{identifiers.digits(rng, 8)}|P|2.5\rPID|1||")
    b.pii(p.mrn, "MEDICAL_RECORD_NUMBER").add("^^^HOSP^MR||").pii(
        f"{p.name.family.upper()}^{p.name.given.upper()}", "PERSON"
    )
    b.add("||").pii(p.dob.strftime("%Y%m%d"), "DATE_TIME").add(f"|{rng.choice('MFU')}|||")
    b.pii(p.address.replace(", ", "^"), "STREET_ADDRESS").add("||").pii(p.phone, "PHONE_NUMBER").add(
        "\rPV1|1|I|||||"
    )
    b.pii(npi, "NPI").add("^").pii(f"{doc.family.upper()}^{doc.given.upper()}", "PERSON").add(
        "\rIN1|1|PLAN01||ACME HEALTH|||||||||||||||||||||||||||||||"
    )
    b.pii(p.plan_id, "HEALTH_PLAN_ID").add(
        f"\rOBX|1|NM|4548-4^HbA1c||{rng.randint(50, 110) / 10}|%|4.0-5.6|H\r"
    )
    return b.build("hl7_message", GENERATOR)


def _fhir(rng: random.Random) -> Document:
    p = make_persona(rng)
    b = DocumentBuilder().add('{"resourceType": "Patient", "identifier": [{"system": "urn:mrn", "value": "')
    b.pii(p.mrn, "MEDICAL_RECORD_NUMBER").add('"}, {"system": "urn:member", "value": "').pii(
        p.plan_id, "HEALTH_PLAN_ID"
    )
    b.add('"}], "name": [{"family": "').pii(p.name.family, "PERSON").add('", "given": ["').pii(
        p.name.given, "PERSON"
    )
    b.add('"]}], "birthDate": "').pii(p.dob.isoformat(), "DATE_TIME").add(
        '", "telecom": [{"system": "phone", "value": "'
    )
    b.pii(p.phone, "PHONE_NUMBER").add('"}, {"system": "email", "value": "').pii(p.email, "EMAIL_ADDRESS")
    b.add(
        f'"}}], "meta": {{"versionId": "{rng.randint(1, 40)}", "source": "{distractors.reference(rng)}"}}}}'
    )
    return b.build("fhir_resource", GENERATOR)


def _no_pii(rng: random.Random) -> Document:
    fields: list[Field] = [
        ("Routing", distractors.aba_routing(rng), None),
        ("BIC", rng.choice(distractors.SWIFT_CODES), None),
        ("Diagnosis code", rng.choice(distractors.ICD10), None),
        ("Procedure", rng.choice(distractors.CPT), None),
        ("Reference", distractors.reference(rng), None),
        ("Dose", rng.choice(distractors.DOSES), None),
        ("Range", rng.choice(distractors.LABS), None),
        ("Window", rng.choice(distractors.DURATIONS), None),
        ("Condition", rng.choice(distractors.EPONYMS), None),
        ("Finding", rng.choice(distractors.EPONYM_FINDINGS), None),
        ("Build", distractors.reference(rng), None),
    ]
    builder = DocumentBuilder().add(rng.choice(["CONFIG\n", "Reference data\n", "Formulary entry\n"]))
    rng.choice([key_value, pipe_table])(builder, rng.sample(fields, k=rng.randint(4, 8)), rng)
    return builder.build("reference_record", GENERATOR)


_MAKERS: list[Callable[[random.Random], Document]] = [_form, _form, _form, _csv, _wire, _wire, _hl7, _fhir]


def generate(rng: random.Random, count: int) -> list[Document]:
    # Every fifth record carries only distractors.
    return [_no_pii(rng) if index % 5 == 4 else rng.choice(_MAKERS)(rng) for index in range(count)]
