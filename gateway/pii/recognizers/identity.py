"""Identity and contact data: SSN, e-mail, phone, driver licence, calendar dates, IP addresses.

Phone numbers use our own patterns, not ``phonenumbers``' matcher: it costs several ms per KB and finds
nothing in clinical or banking text that these formats miss.
"""

from __future__ import annotations

import ipaddress

from gateway.pii import entity_types as et
from gateway.pii.checksums import ssn_plausible
from gateway.pii.recognizers.regex_recognizer import PiiPattern, RegexRecognizer

_SSN_LABEL = r"(?i:\bSSN|\bSS\s*#|social\s+security(?:\s+(?:number|no\.?|#))?|\bSSA\s+number|\bTIN)"
_DL_LABEL = (
    r"(?i:driver'?s?\s+licen[sc]e(?:\s+(?:number|no\.?|#))?|\bDL\b|\bD\.L\.|licen[sc]e\s+(?:number|no\.?|#)"
    r"|state\s+id(?:\s+(?:number|no\.?|#))?|\bDLN\b|\bCDL\b)"
)
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
_MONTH_NUM = r"(?:0?[1-9]|1[0-2])"
_YEAR = r"(?:19|20)\d{2}"


def _has_digit(value: str) -> bool:
    return any(ch.isdigit() for ch in value)


def _public_ip(value: str) -> bool:
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return False
    # Loopback / unspecified addresses are configuration, not a person's identifier.
    return not (address.is_loopback or address.is_unspecified or address.is_multicast)


def identity_recognizers() -> list[RegexRecognizer]:
    return [*_identifier_recognizers(), *_record_recognizers()]


def _identifier_recognizers() -> list[RegexRecognizer]:
    """SSN, e-mail and phone."""
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
            et.EMAIL_ADDRESS,
            [
                PiiPattern(
                    "email", r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b", 1.0
                )
            ],
            name="EmailRecognizer",
        ),
        RegexRecognizer(
            et.PHONE_NUMBER,
            [
                PiiPattern(
                    "phone_us",
                    r"(?<![\w-])(?:\+?1[ .-]?)?(?:\(\d{3}\)[ .-]?|\d{3}[ .-])\d{3}[ .-]\d{4}(?![\d-])"
                    r"(?:\s*(?:x|ext\.?)\s*\d{1,5})?",
                    0.8,
                ),
                PiiPattern(
                    "phone_intl",
                    r"(?<![\w])\+(?:[2-9]\d{0,2})[ .-]?(?:\(\d{1,4}\)[ .-]?)?\d{1,4}(?:[ .-]?\d{2,4}){2,4}(?!\d)",
                    0.75,
                ),
                PiiPattern(
                    "phone_context",
                    r"(?i:phone|tel|telephone|cell|mobile|fax|call(?:\s+me)?(?:\s+at)?|pager|contact)"
                    r"[^\w\n]{0,6}(?:(?i:number|no\.?|is|at)\s*[^\w\n]{0,3})?(?P<pii>\d{10})\b",
                    0.8,
                ),
            ],
            name="PhoneRecognizer",
        ),
    ]


def _record_recognizers() -> list[RegexRecognizer]:
    """Driver licence, calendar dates, IP addresses."""
    return [
        RegexRecognizer(
            et.US_DRIVER_LICENSE,
            [
                PiiPattern(
                    "dl_context",
                    rf"{_DL_LABEL}[^\w\n]{{0,6}}(?:(?i:is|number|no\.?|#)\s*[^\w\n]{{0,3}})?"
                    r"(?:[A-Z]{2}\s+)?(?P<pii>[A-Z0-9](?:[A-Z0-9-]{3,16})[A-Z0-9])\b",
                    0.85,
                    _has_digit,
                )
            ],
            name="DriverLicenseRecognizer",
        ),
        RegexRecognizer(
            et.DATE_TIME,
            [
                PiiPattern("date_us", rf"\b{_MONTH_NUM}[/-]{_DAY}[/-](?:{_YEAR}|\d{{2}})\b", 0.8),
                PiiPattern("date_iso", rf"\b{_YEAR}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])\b", 0.8),
                PiiPattern("date_month_first", rf"\b{_MONTH}\s+{_DAY}(?:st|nd|rd|th)?,?\s+{_YEAR}\b", 0.8),
                PiiPattern("date_day_first", rf"\b{_DAY}(?:st|nd|rd|th)?\s+{_MONTH},?\s+{_YEAR}\b", 0.8),
            ],
            name="CalendarDateRecognizer",
        ),
        RegexRecognizer(
            et.IP_ADDRESS,
            [PiiPattern("ipv4", r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])", 0.7, _public_ip)],
            name="IpAddressRecognizer",
        ),
    ]
