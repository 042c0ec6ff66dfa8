"""Identity data: SSN, driver licence, calendar dates (US, day-first, ISO, written out)."""

from __future__ import annotations

import re

from gateway.pii import entity_types as et
from gateway.pii.checksums import ssn_plausible
from gateway.pii.recognizers.regex_recognizer import PiiPattern, RegexRecognizer

_SSN_LABEL = r"(?i:\bSSN|\bSS\s*#|social\s+security(?:\s+(?:number|no\.?|#))?|\bSSA\s+number|\bTIN)"
_STATES = (
    r"Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|Hawaii"
    r"|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan"
    r"|Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|New\s+Hampshire|New\s+Jersey|New\s+Mexico"
    r"|New\s+York|North\s+Carolina|North\s+Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|Rhode\s+Island"
    r"|South\s+Carolina|South\s+Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|West\s+Virginia"
    r"|Wisconsin|Wyoming|[A-Z]{2}"
)
_DL_LABEL = (
    r"(?i:driv(?:er|ing)(?:'s|s|’s)?\s+lic(?:en[sc]e|\.)?(?:\s+(?:number|no\.?|#|id))?|\bDL\b|\bD/L\b|\bD\.L\."
    r"|\bDLN\b|\bCDL\b|\bOLN\b|operator(?:'s)?\s+licen[sc]e|licen[sc]e\s+(?:number|no\.?|#|id)|\blic\.?\s*(?:no\.?|#)"
    r"|state\s+(?:id|identification)(?:\s+card)?(?:\s+(?:number|no\.?|#))?|\bID\s+card(?:\s+(?:number|no\.?|#))?)"
)
# Between a licence label and its value: punctuation, "number is", "issued by Texas", "(CA)".
_DL_GAP = rf"[^\w\n]{{0,6}}(?:(?:(?i:is|number|no\.?|#|issued\s+(?:by|in)|from|state|of)|{_STATES})[^\w\n]{{0,4}}){{0,4}}"
# State formats run from 1 letter + 4 digits to 13 characters with dashes or Washington's "*".
_DL_VALUE = r"(?P<pii>[A-Z0-9](?:[A-Z0-9*-]|\s(?=\d{3})){3,18}[A-Z0-9])"
_DATE_SHAPE = re.compile(r"^\d{4}-\d{2}-\d{2}$|^\d{1,2}-\d{1,2}-\d{2,4}$")

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
_ORDINAL = r"(?:st|nd|rd|th)"
_DAY_WORD = (
    r"(?i:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth"
    r"|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|twenty[- ](?:first|second"
    r"|third|fourth|fifth|sixth|seventh|eighth|ninth)|thirtieth|thirty[- ]first)"
)
_MONTH_NUM = r"(?:0?[1-9]|1[0-2])"
_YEAR = r"(?:19|20)\d{2}"


def _has_digit(value: str) -> bool:
    return any(ch.isdigit() for ch in value)


def _licence_like(value: str) -> bool:
    return _has_digit(value) and not _DATE_SHAPE.match(value)


def identity_recognizers() -> list[RegexRecognizer]:
    return [
        RegexRecognizer(
            et.US_SSN,
            [
                PiiPattern("ssn_dashed", r"(?<![\d-])\d{3}-\d{2}-\d{4}(?![\d-])", 0.85, ssn_plausible),
                PiiPattern("ssn_spaced", r"(?<!\d)(?<!\d )\d{3} \d{2} \d{4}(?! ?\d)", 0.6, ssn_plausible),
                PiiPattern(
                    "ssn_context",
                    rf"{_SSN_LABEL}[^\w\n]{{0,6}}(?:(?i:is|number|no\.?)\s*[^\w\n]{{0,3}})?"
                    r"(?P<pii>\d{3}[- .]?\d{2}[- .]?\d{4})\b",
                    0.95,
                    ssn_plausible,
                ),
            ],
            name="SsnRecognizer",
        ),
        RegexRecognizer(
            et.US_DRIVER_LICENSE,
            [PiiPattern("dl_context", rf"{_DL_LABEL}{_DL_GAP}{_DL_VALUE}\b", 0.85, _licence_like)],
            name="DriverLicenseRecognizer",
        ),
        RegexRecognizer(et.DATE_TIME, _date_patterns(), name="CalendarDateRecognizer"),
    ]


def _date_patterns() -> list[PiiPattern]:
    day = rf"{_DAY}{_ORDINAL}?"
    return [
        PiiPattern("date_us", rf"\b{_MONTH_NUM}([/-]){_DAY}\1(?:{_YEAR}|\d{{2}})\b", 0.8),
        PiiPattern("date_day_first", rf"\b{_DAY}([/.-]){_MONTH_NUM}\1(?:{_YEAR}|\d{{2}})\b", 0.8),
        PiiPattern("date_iso", rf"\b{_YEAR}([-/.])(?:0?[1-9]|1[0-2])\1(?:0?[1-9]|[12]\d|3[01])\b", 0.8),
        PiiPattern("date_month_first", rf"\b{_MONTH}[ -]{day}(?:,?[ -]{_YEAR}\b|(?![\w,.-]*\d))", 0.7),
        PiiPattern(
            "date_day_first_named",
            rf"\b(?:{day}|{_DAY_WORD})(?:\s+of)?[ -]{_MONTH}(?:,?[ -]{_YEAR})?\b",
            0.7,
        ),
        PiiPattern("date_written", rf"\b{_MONTH}\s+(?:the\s+)?{_DAY_WORD}(?:,?\s+{_YEAR})?\b", 0.7),
        PiiPattern("date_month_year", rf"\b{_MONTH}(?:\s+of)?,?\s+{_YEAR}\b", 0.6),
    ]
