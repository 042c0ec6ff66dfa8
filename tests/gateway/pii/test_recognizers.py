"""Each recognizer on the shapes real records use, and the look-alikes that must not be flagged."""

from __future__ import annotations

import pytest

from gateway.pii.analyzer import PiiAnalyzer
from gateway.pii.rules import PiiRules

# Bank identifiers are off unless a policy names them; these tests name them to check the recognizers.
RULES = PiiRules.model_validate({"entities": {"ABA_ROUTING_NUMBER": {}, "SWIFT_CODE": {}}})


def found(analyzer: PiiAnalyzer, text: str) -> dict[str, str]:
    return {text[f.start : f.end]: f.entity_type for f in analyzer.analyze(text, RULES)}


@pytest.mark.parametrize(
    ("text", "value", "entity_type"),
    [
        ("Patient: GARCIA, Maria L. presented today.", "GARCIA, Maria L.", "PERSON"),
        ("Referring physician: Nguyen, Thanh", "Nguyen, Thanh", "PERSON"),
        ("Seen by Dr. J. Okafor in clinic.", "J. Okafor", "PERSON"),
        ("Sincerely,\nPriya Raman", "Priya Raman", "PERSON"),
        ("Follow up with Ana Ruiz, RN next week.", "Ana Ruiz", "PERSON"),
        ("Patient: Иванова, Мария, MRN 1234567", "Иванова, Мария", "PERSON"),
        ("Patient name: 李明 (MRN 7654321)", "李明", "PERSON"),
        ("Referred by Dr. Nguyễn Thị Minh Khai.", "Nguyễn Thị Minh Khai", "PERSON"),
        ("Dr. Σοφία Παπαδοπούλου reviewed it.", "Σοφία Παπαδοπούλου", "PERSON"),
        ("MRN: 00452318 admitted", "00452318", "MEDICAL_RECORD_NUMBER"),
        ("Medical record number H1234567.", "H1234567", "MEDICAL_RECORD_NUMBER"),
        ("Prescriber NPI 1234567893.", "1234567893", "NPI"),
        ("Member ID: XYZ123456789 on the card.", "XYZ123456789", "HEALTH_PLAN_ID"),
        ("Medicare 1EG4-TE5-MK73 on file.", "1EG4-TE5-MK73", "HEALTH_PLAN_ID"),
        ("DEA AB1234563 on the script.", "AB1234563", "DEA_NUMBER"),
        (
            "Lives at 123 Main Street, Springfield, IL 62704 alone.",
            "123 Main Street, Springfield, IL 62704",
            "STREET_ADDRESS",
        ),
        ("IBAN: GB82 WEST 1234 5698 7654 32 USD", "GB82 WEST 1234 5698 7654 32", "IBAN_CODE"),
        ("SWIFT/BIC: DEUTDEFF", "DEUTDEFF", "SWIFT_CODE"),
        ("Routing (ABA): 021000021", "021000021", "ABA_ROUTING_NUMBER"),
        ("Checking account 000123456789 closed.", "000123456789", "US_BANK_NUMBER"),
        ("Card 2221 0000 0000 0009 declined.", "2221 0000 0000 0009", "CREDIT_CARD"),
        ("Amex 3782 822463 10005 on file.", "3782 822463 10005", "CREDIT_CARD"),
        ("Driver's license number D1234567.", "D1234567", "US_DRIVER_LICENSE"),
        ("SSN 219-09-9999 verified.", "219-09-9999", "US_SSN"),
        ("Social security number is 219099999.", "219099999", "US_SSN"),
        ("Call (617) 555-0199 today.", "(617) 555-0199", "PHONE_NUMBER"),
        ("Reach her at +44 20 7946 0958.", "+44 20 7946 0958", "PHONE_NUMBER"),
        ("Mail j.doe@example.org now.", "j.doe@example.org", "EMAIL_ADDRESS"),
        ("DOB: March 4, 1961.", "March 4, 1961", "DATE_TIME"),
        ("Login from 203.0.113.45 at night.", "203.0.113.45", "IP_ADDRESS"),
    ],
)
def test_recognizes(analyzer: PiiAnalyzer, text: str, value: str, entity_type: str) -> None:
    assert found(analyzer, text).get(value) == entity_type


@pytest.mark.parametrize(
    "text",
    [
        "History of Parkinson's disease on carbidopa-levodopa 25/100 mg three times daily.",
        "Symptoms for 5 days, worse at night; take 1 tablet daily for 10 days.",
        "Crohn disease in remission; Bell's palsy resolved; Glasgow Coma Scale 15.",
        "Avoid Xanax and Percocet; discussed Alzheimer's risk.",
        "The CUSIP 037833100 position was excluded; routing numbers are on the rates page.",
        "NDC 0002-3227-30 dispensed; ICD-10 E11.9, CPT 99214.",
        "Order 4111111111111112 shipped; invoice 44871.",
        "Use the Wells score and the Ottawa ankle rules.",
        "Savings accounts earn 4.10% APY; fees are capped at $35 per item.",
    ],
)
def test_clinical_and_banking_terms_are_not_pii(analyzer: PiiAnalyzer, text: str) -> None:
    assert found(analyzer, text) == {}


def test_unformatted_nine_digits_need_ssn_context(analyzer: PiiAnalyzer) -> None:
    assert found(analyzer, "Reference 219099999 attached.") == {}


def test_name_outside_every_pattern_is_still_covered_by_ner(analyzer: PiiAnalyzer) -> None:
    # Not in the census list, no label or title: only NER can see it. The small model may call it a
    # place; what matters for a leak is that the name is replaced.
    text = "The discharge plan was reviewed with Olumide Adeyemi, who agreed to it."
    assert "Olumide Adeyemi" in found(analyzer, text)


def test_results_are_deterministic(analyzer: PiiAnalyzer) -> None:
    text = "Pt Maria Garcia (MRN 4455821), 12 Oak Street, Austin, TX 78701, seen by Dr. Chen."
    runs = [analyzer.analyze(text, PiiRules.default()) for _ in range(3)]
    assert runs[0] == runs[1] == runs[2]
    assert runs[0] == sorted(runs[0])


@pytest.mark.parametrize(
    ("text", "value", "entity_type"),
    [
        ("Login from 2001:db8:85a3::8a2e:370:7334 overnight.", "2001:db8:85a3::8a2e:370:7334", "IP_ADDRESS"),
        (
            "Write to jane dot doe at example dot org today.",
            "jane dot doe at example dot org",
            "EMAIL_ADDRESS",
        ),
        ("Mobile: 07700 900123 after six.", "07700 900123", "PHONE_NUMBER"),
        ("Office +91 98494 76214 ext 0027.", "+91 98494 76214 ext 0027", "PHONE_NUMBER"),
        ("Collected: 2023-05-27T03:29:07Z for CRP.", "2023-05-27T03:29:07Z", "DATE_TIME"),
        ("Seen 07:28 on 4 Mar 2023 in clinic.", "07:28 on 4 Mar 2023", "DATE_TIME"),
        ("DOB 31/12/1985 confirmed.", "31/12/1985", "DATE_TIME"),
        ("Driver license WA LJGZTRP861OV verified.", "LJGZTRP861OV", "US_DRIVER_LICENSE"),
        (
            "Sent to 10 Downing Street, London SW1A 2AA today.",
            "10 Downing Street, London SW1A 2AA",
            "STREET_ADDRESS",
        ),
        ("Forward to Hauptstraße 12, 10115 Berlin soon.", "Hauptstraße 12, 10115 Berlin", "STREET_ADDRESS"),
        (
            "address Flat 771, Shanti Apartments, 18th Cross, Mumbai 400050. Card",
            "Flat 771, Shanti Apartments, 18th Cross, Mumbai 400050",
            "STREET_ADDRESS",
        ),
        ("caller: i'm calling from sheffield\nagent: ok", "sheffield", "LOCATION"),
        ("Used at a fuel station in Des Moines, IA yesterday.", "Des Moines, IA", "LOCATION"),
        ("PID|1||E1264153^^^HOSP^MR||VILLANUEVA^GUADALUPE||20140825|F", "VILLANUEVA^GUADALUPE", "PERSON"),
        ("name,dob,phone\nBD,2/9/31,4048443347\n", "4048443347", "PHONE_NUMBER"),
        ("hi its sunita raghunathan, my daughter has a rash", "sunita raghunathan", "PERSON"),
    ],
)
def test_recognizes_formats_beyond_the_us_record(
    analyzer: PiiAnalyzer, text: str, value: str, entity_type: str
) -> None:
    assert found(analyzer, text).get(value) == entity_type


@pytest.mark.parametrize(
    "text",
    [
        "Harm-reduction leaflet covers Molly, Tina and Mary Jane.",
        "| Card | 5168 3062 1905 5074 |\n| Invoice | SKU 88-2618-A |",
        "Guideline: patients with Barrett's oesophagus need surveillance.",
        "Routing (ABA) 021000021 and SWIFT DEUTDEFF are on the bank's page.",
    ],
)
def test_not_personal_by_default(analyzer: PiiAnalyzer, text: str) -> None:
    findings = analyzer.analyze(text, PiiRules.default())
    assert all(f.entity_type not in {"PERSON", "SWIFT_CODE", "ABA_ROUTING_NUMBER"} for f in findings)
