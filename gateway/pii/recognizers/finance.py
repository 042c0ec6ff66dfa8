"""Banking identifiers: cards (Luhn), IBAN (mod 97), SWIFT/BIC, ABA routing (checksum), accounts."""

from __future__ import annotations

from gateway.pii import entity_types as et
from gateway.pii.checksums import aba_routing_valid, digits_only, iban_valid, luhn_valid
from gateway.pii.recognizers.regex_recognizer import PiiPattern, RegexRecognizer

# Issuer prefixes: Visa 4, Mastercard 51-55 and the 2-series 2221-2720, Amex 34/37, Discover,
# Diners, JCB. A leading prefix keeps arbitrary 16-digit order numbers out before Luhn even runs.
_CARD_PREFIX = (
    r"(?:4\d{3}|5[1-5]\d{2}|2(?:22[1-9]|2[3-9]\d|[3-6]\d{2}|7[01]\d|720)|3[47]\d{2}"
    r"|6(?:011|5\d{2}|4[4-9]\d)|3(?:0[0-5]|[68]\d)\d|35\d{2})"
)
_CARD = rf"(?<![\d-]){_CARD_PREFIX}(?:[ -]?\d){{9,15}}(?![\d-])"

# ISO 3166 alpha-2 codes that appear in BIC position 5-6 (kept short on purpose: a wrong country code
# is how an ordinary 8-letter capitalised word is told apart from a BIC without context).
_BIC_COUNTRIES = (
    "US|GB|DE|FR|CH|IT|ES|NL|BE|AT|IE|LU|SE|NO|DK|FI|PL|PT|GR|CZ|HU|RO|BG|HR|SI|SK|LT|LV|EE|CA|MX|BR"
    "|AR|CL|CO|PE|JP|CN|HK|SG|KR|TW|IN|AU|NZ|ZA|AE|SA|IL|TR|RU|UA|EG|NG|KE|MA|PH|TH|MY|ID|VN|PK|BD"
)
_BIC = rf"[A-Z]{{4}}(?:{_BIC_COUNTRIES})[A-Z0-9]{{2}}(?:[A-Z0-9]{{3}})?"
_ACCOUNT_CONTEXT = (
    r"(?i:account|acct|a/c|acc\.?|checking|savings|deposit(?:ed)? (?:to|into)|loan)"
    r"(?i:\s*(?:number|num|no\.?|#|nbr|ending in))?"
)


def _card_valid(value: str) -> bool:
    digits = digits_only(value)
    return 13 <= len(digits) <= 19 and luhn_valid(digits)


def _has_digit(value: str) -> bool:
    return any(ch.isdigit() for ch in value)


def finance_recognizers() -> list[RegexRecognizer]:
    return [*_card_and_international(), *_us_bank_recognizers()]


def _card_and_international() -> list[RegexRecognizer]:
    """Cards, IBAN, SWIFT/BIC."""
    return [
        RegexRecognizer(
            et.CREDIT_CARD,
            [PiiPattern("card", _CARD, 0.9, _card_valid)],
            name="CardRecognizer",
        ),
        RegexRecognizer(
            et.IBAN_CODE,
            [
                PiiPattern(
                    "iban",
                    r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b",
                    0.95,
                    iban_valid,
                    shrink_on_invalid=True,
                )
            ],
            name="IbanRecognizer",
        ),
        RegexRecognizer(
            et.SWIFT_CODE,
            [
                PiiPattern(
                    "bic_context",
                    rf"(?i:swift|bic)(?i:\s*(?:/\s*bic|code|address))*[^\w\n]{{0,8}}(?P<pii>{_BIC})\b",
                    0.9,
                ),
                # Without context only BICs with a digit in the location code (e.g. CHASUS33).
                PiiPattern("bic_digit", rf"\b(?=[A-Z]{{6}}[A-Z0-9]*\d){_BIC}\b", 0.6, _has_digit),
            ],
            name="SwiftBicRecognizer",
        ),
    ]


def _us_bank_recognizers() -> list[RegexRecognizer]:
    """ABA routing and account numbers."""
    return [
        RegexRecognizer(
            et.ABA_ROUTING_NUMBER,
            [
                PiiPattern(
                    "aba_context",
                    r"(?i:routing|aba|rtn|transit)[^\d\n]{0,30}(?P<pii>\d{9})\b",
                    0.95,
                    aba_routing_valid,
                ),
            ],
            name="AbaRoutingRecognizer",
        ),
        RegexRecognizer(
            et.US_BANK_NUMBER,
            [
                PiiPattern(
                    "account_context",
                    rf"{_ACCOUNT_CONTEXT}[^\w\n]{{0,6}}(?:is\s+|of\s+)?(?P<pii>\d(?:[\d-]{{3,18}})\d)\b",
                    0.8,
                    lambda v: 4 <= len(digits_only(v)) <= 17,
                ),
                # The last digits an account is known by: "account ending 4821", "acct (ending in 4821)".
                PiiPattern(
                    "account_last_digits",
                    r"(?i:account|acct|a/c)(?i:\s+(?:number|no\.?|#))?[ \t(]*(?i:ending)(?i:\s+(?:in|with))?[ \t:]*"
                    r"(?P<pii>\d{4,6})\b",
                    0.6,
                ),
                PiiPattern(
                    "account_masked",
                    rf"{_ACCOUNT_CONTEXT}[^\w\n]{{0,6}}(?P<pii>[xX*]{{2,}}[-\s]?\d{{4}})\b",
                    0.7,
                ),
            ],
            name="BankAccountRecognizer",
        ),
    ]
