"""Strings that look like personal data but are not: bank routing codes, clinical codes, lab values,
eponyms, street drug names, product and ticket numbers, durations and bare years."""

from __future__ import annotations

import random

from tests.data.pii.independent.checksums import aba_valid
from tests.data.pii.independent.identifiers import digits

SWIFT_CODES = [
    "DEUTDEFF",
    "BOFAUS3N",
    "CHASUS33XXX",
    "HSBCGB2L",
    "NWBKGB2L",
    "BNPAFRPP",
    "INGBNL2A",
    "CITIUS33",
    "SBININBB",
    "COBADEFFXXX",
]
ICD10 = [
    "E11.9",
    "I10",
    "J45.909",
    "M54.5",
    "F41.1",
    "N39.0",
    "K50.90",
    "E05.00",
    "G20",
    "C81.90",
    "Q90.9",
    "R07.9",
    "Z79.4",
]
CPT = ["99213", "99214", "93000", "80053", "85025", "71046", "36415", "G0439"]
EPONYMS = [
    "Parkinson's disease",
    "Hodgkin lymphoma",
    "Crohn's disease",
    "Graves' disease",
    "Down syndrome",
    "Bell's palsy",
    "Hashimoto's thyroiditis",
    "Guillain-Barré syndrome",
    "Cushing's syndrome",
    "Addison's disease",
    "Barrett's oesophagus",
    "Raynaud's phenomenon",
    "Wilms tumour",
]
EPONYM_FINDINGS = [
    "an Apgar score of 8 and 9",
    "a Glasgow Coma Scale of 15",
    "a positive Murphy's sign",
    "a positive Babinski sign",
    "nystagmus on the Dix-Hallpike test",
    "Kussmaul breathing",
]
STREET_DRUGS = ["Molly", "Mary Jane", "Charlie", "Tina", "Special K", "ice", "smack"]
LABS = [
    "HbA1c 7.2%",
    "eGFR 58 mL/min/1.73m2",
    "K+ 4.1 mmol/L",
    "Hb 11.2 g/dL",
    "TSH 0.02 mIU/L",
    "LDL 3.4 mmol/L",
    "CRP 48 mg/L",
    "WBC 12.4 x10^9/L",
    "troponin I < 0.01 ng/mL",
    "INR 2.6",
    "BP 142/88",
    "SpO2 96% on room air",
    "creatinine 1.3 mg/dL",
]
DOSES = [
    "metformin 500 mg BID",
    "lisinopril 10 mg daily",
    "apixaban 5 mg twice daily",
    "atorvastatin 40 mg at night",
    "levothyroxine 75 mcg",
    "mesalazine 2.4 g/day",
    "carbimazole 20 mg",
    "amoxicillin 500 mg TDS for 7 days",
    "insulin glargine 18 units",
    "sertraline 50 mg",
    "prednisolone 40 mg tapering",
]
DURATIONS = [
    "for 3 days",
    "over the past two weeks",
    "for 6 months",
    "since 2019",
    "in 2021",
    "for about 48 hours",
    "every 4 hours",
    "within 10 business days",
    "in Q3",
    "FY2024",
]


def aba_routing(rng: random.Random) -> str:
    while True:
        candidate = rng.choice(["0", "1", "2", "3"]) + digits(rng, 8)
        if aba_valid(candidate):
            return candidate


def reference(rng: random.Random) -> str:
    shapes = [
        f"INV-{rng.randint(2019, 2026)}-{digits(rng, 5)}",
        f"v{rng.randint(1, 9)}.{rng.randint(0, 20)}.{rng.randint(0, 9)}",
        f"INC{digits(rng, 7)}",
        f"OPS-{rng.randint(100, 9999)}",
        f"NDC {digits(rng, 4)}-{digits(rng, 4)}-{digits(rng, 2)}",
        f"LOT {digits(rng, 2)}B{digits(rng, 3)}",
        f"SKU 88-{digits(rng, 4)}-A",
        f"PO-{digits(rng, 5)}",
        f"ticket #{digits(rng, 6)}",
        f"build {rng.randint(1000, 9999)}",
        f"order {digits(rng, 3)}-{digits(rng, 7)}",
        f"RFC {rng.randint(1000, 9999)}",
        f"ISO {rng.choice(['27001', '13485', '20022'])}",
    ]
    return rng.choice(shapes)


def clinical_code(rng: random.Random) -> str:
    return rng.choice([f"ICD-10 {rng.choice(ICD10)}", f"CPT {rng.choice(CPT)}", rng.choice(ICD10)])
