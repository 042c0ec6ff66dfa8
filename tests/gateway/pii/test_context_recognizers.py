"""Cues that generalise beyond one corpus: places after a preposition, ids after a name, relatives."""

from __future__ import annotations

import pytest

from gateway.pii.analyzer import PiiAnalyzer
from gateway.pii.place_names import geocoder_place_names, load_place_names
from gateway.pii.rules import PiiRules

RULES = PiiRules.default()


def found(analyzer: PiiAnalyzer, text: str) -> dict[str, str]:
    return {text[f.start : f.end]: f.entity_type for f in analyzer.analyze(text, RULES)}


@pytest.mark.parametrize(
    ("text", "value", "entity_type"),
    [
        ("She drove up from Lubbock last week.", "Lubbock", "LOCATION"),
        (
            "Proceeds of a flat sold in Banjara Hills,\nHyderabad, last year.",
            "Banjara Hills,\nHyderabad",
            "LOCATION",
        ),
        ("agent: i see a payment to a gym in sheffield on the 14th", "sheffield", "LOCATION"),
        ("He flew in from Coeur d'Alene yesterday.", "Coeur d'Alene", "LOCATION"),
        ("Transfer to St. Louis.", "St. Louis", "LOCATION"),
        ("Results for Zhao Mei (5378-906), specimen received.", "5378-906", "MEDICAL_RECORD_NUMBER"),
        ("Reviewed results incl. T. Tran (MR580453).", "MR580453", "MEDICAL_RECORD_NUMBER"),
        ("UR number 000 123 456 on file.", "000 123 456", "MEDICAL_RECORD_NUMBER"),
        ("Hospital ID: H-20931-A for the admission.", "H-20931-A", "MEDICAL_RECORD_NUMBER"),
        ("Claim filed (policy HMO-5520931-02) yesterday.", "HMO-5520931-02", "HEALTH_PLAN_ID"),
        ("Lives with his daughter Aoife in town.", "Aoife", "PERSON"),
        ('Her nephew, whom she calls "Rhys", has online access.', "Rhys", "PERSON"),
        ("Sincerely, CH", "CH", "PERSON"),
        ("Underwriter: LFS.", "LFS", "PERSON"),
        ("From: Siobhán McCarthy <s.mccarthy@example.ie>", "Siobhán McCarthy", "PERSON"),
        ("Carer dos Santos, Thiago can be reached.", "dos Santos, Thiago", "PERSON"),
        ("Ordering provider F. dos Santos, NPI pending.", "F. dos Santos", "PERSON"),
        ("phone (02) 9876 5432 after six", "(02) 9876 5432", "PHONE_NUMBER"),
        ("reach me on 98450 12345 any time", "98450 12345", "PHONE_NUMBER"),
        ("Son's number: 01 42 68 53 00.", "01 42 68 53 00", "PHONE_NUMBER"),
        ("Ring 0803 123 4567 after six.", "0803 123 4567", "PHONE_NUMBER"),
        ("caller: thirtieth of june nineteen eighty", "thirtieth of june nineteen eighty", "DATE_TIME"),
        ("Your letter of 19\nAugust 2025 says", "19\nAugust 2025", "DATE_TIME"),
        ("Seen in ED on 20201208. Stable.", "20201208", "DATE_TIME"),
        ("She presented Michigan licence N199911513711 today.", "N199911513711", "US_DRIVER_LICENSE"),
        ("Driving licence P 790 648 430 719 (MI).", "P 790 648 430 719", "US_DRIVER_LICENSE"),
        ("dea number ar1883087? let me check", "ar1883087", "DEA_NUMBER"),
        (
            "agent: and the first line of the address\ncaller: witte de withstraat 194, 1015 cj amsterdam\n",
            "witte de withstraat 194, 1015 cj amsterdam",
            "STREET_ADDRESS",
        ),
        (
            "or write to Prestige Lakeview, 14th Cross, Indiranagar, Bengaluru\n560038. Thanks",
            "Prestige Lakeview, 14th Cross, Indiranagar, Bengaluru\n560038",
            "STREET_ADDRESS",
        ),
        (
            "Lives at 201 Aminu Kano Crescent, Bodija, Ibadan; alone.",
            "201 Aminu Kano Crescent, Bodija, Ibadan",
            "STREET_ADDRESS",
        ),
        ("Residence: 45 Kingsway, Hove BN3 2WF", "45 Kingsway, Hove BN3 2WF", "STREET_ADDRESS"),
        (
            "Home: 55 Rue Sainte-Catherine, Montréal, QC H2X 1K4",
            "55 Rue Sainte-Catherine, Montréal, QC H2X 1K4",
            "STREET_ADDRESS",
        ),
        (
            "Shipping to Flat 2B, 9 Marine Parade, Brighton",
            "Flat 2B, 9 Marine Parade, Brighton",
            "STREET_ADDRESS",
        ),
        (
            "Applicants J. Pereira and Gabriela dos Santos Pereira, both",
            "Gabriela dos Santos Pereira",
            "PERSON",
        ),
        ("hello its Luiz Fernando S. again", "Luiz Fernando S.", "PERSON"),
        ("Phone: 0044 7700 900 123", "0044 7700 900 123", "PHONE_NUMBER"),
        ("mail josé.garcía@correo.es now", "josé.garcía@correo.es", "EMAIL_ADDRESS"),
        (
            "email jane [dot] doe [at] example [dot] com ok",
            "jane [dot] doe [at] example [dot] com",
            "EMAIL_ADDRESS",
        ),
        ("jane_doe AT example DOT co DOT uk", "jane_doe AT example DOT co DOT uk", "EMAIL_ADDRESS"),
        ("The account (ending 4821) was debited twice.", "4821", "US_BANK_NUMBER"),
        ("caller: yeah its maria from the pharmacy", "maria", "PERSON"),
        ("caller: hi this is kwabena mensah calling about my card", "kwabena mensah", "PERSON"),
        ("agent: thanks ngozi, and your date of birth", "ngozi", "PERSON"),
        ("NHS number 943 476 5919 on file", "943 476 5919", "HEALTH_PLAN_ID"),
        ("seen on March the 4th, 2024", "March the 4th, 2024", "DATE_TIME"),
        ("I spoke to Priya in your branch.", "Priya", "PERSON"),
        ("Hi Dr. Vasquez, this is Lakshmi Bianchi, my MRN is 2081942.", "Lakshmi Bianchi", "PERSON"),
        ("Parents live in Fishtown and have a car seat.", "Fishtown", "LOCATION"),
        ("She drove up from Koramangala yesterday.", "Koramangala", "LOCATION"),
        ("City: Ibadan\nState: Oyo", "Ibadan", "LOCATION"),
        ("Reach her on (+44) 20 7946 0958.", "(+44) 20 7946 0958", "PHONE_NUMBER"),
        ("MRN A12B3456 seen in clinic.", "A12B3456", "MEDICAL_RECORD_NUMBER"),
        ("Insurance: BlueCross BlueShield PPO, ID XYZ123456789.", "XYZ123456789", "HEALTH_PLAN_ID"),
    ],
)
def test_recognizes_in_context(analyzer: PiiAnalyzer, text: str, value: str, entity_type: str) -> None:
    assert found(analyzer, text).get(value) == entity_type


@pytest.mark.parametrize(
    "text",
    [
        "He is moving to Reading glasses next month.",
        "Referred to Boston Children's Hospital for review.",
        "Transfer to Mobile unit at 14:00; move to Normal saline.",
        "Patient (45) seen; follow-up in (2019) guidance.",
        "Funds went to a Zelle recipient; reimbursement under Reg E.",
        "PCP: Dr. Tanaka. Bell's palsy resolved.",
        "This policy HR-2024-07 replaces the old one.",
        "NDC 0002-3227-30 dispensed; order 090-7497732 booked.",
        "He has 3\nMay be late.",
        "Pain near the Left Knee, worse outside Clinic hours.",
        "Release v2.14.3 (build 20240115) fixes it; Salesforce case 00123456.",
        "We moved to a new place 3 weeks ago.",
        "Give it at this address every 4 hours.",
    ],
)
def test_look_alikes_are_not_flagged(analyzer: PiiAnalyzer, text: str) -> None:
    values = found(analyzer, text)
    flagged = (
        "LOCATION",
        "MEDICAL_RECORD_NUMBER",
        "HEALTH_PLAN_ID",
        "PHONE_NUMBER",
        "DATE_TIME",
        "STREET_ADDRESS",
    )
    assert not any(kind in flagged for kind in values.values())
    assert not {"Bell's", "Zelle", "Reg"} & set(values)


def test_ordinary_speech_is_not_a_name(analyzer: PiiAnalyzer) -> None:
    for text in ("agent: thanks again for calling", "caller: its raining here", "caller: this is urgent"):
        assert "PERSON" not in found(analyzer, text).values()


def test_a_lower_case_name_propagates_but_an_english_word_does_not(analyzer: PiiAnalyzer) -> None:
    spoken = found(analyzer, "pt aisha abubakar (aisha), 45, booked")
    assert spoken.get("aisha") == "PERSON"
    assert "will" not in found(analyzer, "Will Chen called. I will call back.")


@pytest.mark.parametrize(
    "text",
    [
        "| HIPAA 164.312(b) audit controls | ledger |",
        "Both replicas share PostgreSQL and Redis; OpenAI-style errors.",
        "## Tools\nThe scheduler runs nightly.",
        "This is Urgent Care; I spoke to Customer Service. It's Monday Morning.",
        "Insurance: BlueCross BlueShield PPO, ID on file.",
        "The Cleveland Clinic guideline differs.",
        "Contact Redis support. Set BULWARK_REDIS_URL=redis://cache:6379 first.",
    ],
)
def test_product_names_headings_and_identifiers_are_not_people(analyzer: PiiAnalyzer, text: str) -> None:
    assert "PERSON" not in found(analyzer, text).values()


def test_place_names_file_matches_the_geocoder() -> None:
    assert load_place_names() == frozenset(name.casefold() for name in geocoder_place_names())
