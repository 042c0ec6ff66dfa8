"""Health identifiers: medical record numbers, NPI (check digit), plan / member ids, Medicare MBI, DEA."""

from __future__ import annotations

from gateway.pii import entity_types as et
from gateway.pii.checksums import dea_valid, npi_valid
from gateway.pii.recognizers.regex_recognizer import PiiPattern, RegexRecognizer

# What sits between a label and its value: "MRN: ", "MRN #", "medical record number is ".
# An answer on the next line counts too ("agent: member id please\ncaller: w258338471").
NEXT_LINE_ANSWER = r"(?:(?i:[ \t]+please)?[^\w\n]{0,3}\n[ \t]*(?:[A-Za-z]+:[ \t]*)?)?"
_GAP = rf"[^\w\n]{{0,6}}(?:(?i:is|number|num|no\.?|nbr|id)\b[^\w\n]{{0,4}}){{0,2}}{NEXT_LINE_ANSWER}"
# The leading lookahead only lets the alternation run where one of its first letters is.
_MRN_LABEL = (
    r"(?=[mchpuertMCHPUERT])(?i:\bMRN|\bMR\s*#|medical\s+record(?:\s+(?:number|no\.?|#))?|med\.?\s+rec(?:ord)?\.?"
    r"|\bchart\b(?:\s+(?:number|no\.?|#))?|patient\s+(?:id|number|no\.?|#)|hosp(?:ital)?\.?\s+(?:number|no\.?|#)"
    r"|unit\s+(?:number|no\.?)|\bE[MH]R\s+(?:id|number|#)|\bUR\s*(?:number|no\.?|#)|\bURN\b"
    r"|\bMR\s*(?:number|no\.?)|(?:health\s+|patient\s+)?record\s+(?:number|no\.?|#)|\bpt\.?\s*(?:id|#|no\.?)"
    r"|hosp(?:ital)?\.?\s+id|\bCR\s*(?:number|no\.?))"
)
_PLAN_LABEL = (
    r"(?i:member\s*(?:id|#|number|no\.?)|subscriber\s*(?:id|#|number|no\.?)"
    r"|policy\s*(?:id|#|number|no\.?)|(?:\(|\b(?:insurance|health|dental|medical|his|her|their|your|my)\s+)policy"
    r"|certificate\s*(?:id|#|number|no\.?)|enrollee\s*(?:id|#)"
    r"|beneficiary\s*(?:id|#|number|no\.?)|contract\s*(?:id|#|number|no\.?)|group\s*(?:id|#|number|no\.?)|plan\s*(?:id|#|number)"
    r"|insurance\s*(?:id|#|number|no\.?)|medicaid\s*(?:id|#|number|no\.?)"
    r"|medicare\s*(?:id|#|number|no\.?)|health\s+plan(?:\s*(?:id|#|number|no\.?))?|\bNHS(?:/plan)?(?:\s*(?:number|no\.?))?"
    r"|\bMBI|\bHICN|(?:insurance|insurer|coverage|payer|carrier)\b[^\n.;]{0,40}?\bID\b)"
)
# "00452318", "H1234567", "MR-580453", "1234567A", "000 123 456", "12.345.678", "A12B3456".
_MRN_VALUE = (
    r"[A-Za-z]{0,4}[-/]?\d[\d-]{3,14}\d(?:[-/]?[A-Za-z]{1,2})?(?![\w-])|\d{2,4}(?:[ .]\d{2,4}){1,3}(?![\w.-])"
    r"|(?=(?:[A-Za-z]*\d){4})[A-Za-z0-9]{5,14}(?![\w-])"
)
# Numbers printed in spaced groups: NHS "943 476 5919", Medicare Australia "2123 45670 1".
_SPACED_DIGITS = r"\d{3,5}(?: \d{3,5}){1,2}(?: \d)?(?![\w-])"
# Medicare Beneficiary Identifier: 11 characters, letters exclude S, L, O, I, B, Z.
_MBI_LETTER = "[AC-HJKMNP-RT-Y]"
_MBI = (
    rf"\b[1-9]{_MBI_LETTER}[{_MBI_LETTER[1:-1]}0-9]\d-?{_MBI_LETTER}[{_MBI_LETTER[1:-1]}0-9]\d-?"
    rf"{_MBI_LETTER}{{2}}\d{{2}}\b"
)


def _has_digit(value: str) -> bool:
    return any(ch.isdigit() for ch in value)


def health_recognizers() -> list[RegexRecognizer]:
    return [
        RegexRecognizer(
            et.MEDICAL_RECORD_NUMBER,
            [
                PiiPattern(
                    "mrn_context",
                    rf"{_MRN_LABEL}{_GAP}(?P<pii>{_MRN_VALUE})\b",
                    0.95,
                )
            ],
            name="MedicalRecordNumberRecognizer",
        ),
        RegexRecognizer(
            et.NPI,
            [PiiPattern("npi_context", rf"(?i:\bNPI){_GAP}(?P<pii>[12]\d{{9}})\b", 0.95, npi_valid)],
            name="NpiRecognizer",
        ),
        RegexRecognizer(
            et.HEALTH_PLAN_ID,
            [
                PiiPattern(
                    "plan_context",
                    rf"{_PLAN_LABEL}{_GAP}(?P<pii>{_SPACED_DIGITS}|(?=[A-Za-z-]*\d)[A-Za-z0-9][A-Za-z0-9-]{{4,18}}[A-Za-z0-9])\b",
                    0.9,
                    _has_digit,
                ),
                PiiPattern("mbi", _MBI, 0.8),
            ],
            name="HealthPlanIdRecognizer",
        ),
        RegexRecognizer(
            et.DEA_NUMBER,
            [
                PiiPattern(
                    "dea_context", rf"(?i:\bDEA){_GAP}(?P<pii>[A-Za-z]{{2}}\d{{7}})\b", 0.95, dea_valid
                ),
                PiiPattern("dea", r"\b[ABCDEFGHJKLMPRSTUX][A-Z9]\d{7}\b", 0.6, dea_valid),
            ],
            name="DeaNumberRecognizer",
        ),
    ]
