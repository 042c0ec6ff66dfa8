"""Contact data: e-mail (also written out to dodge scrapers), phone numbers (US and international),
IP addresses (IPv4 and IPv6).

Phone numbers use our own patterns, not ``phonenumbers``' matcher: it costs several ms per KB. Formats
follow the national numbering plans (ITU-T E.164 and the national conventions for grouping digits),
not any one corpus: a "+" and country code, or a trunk "0" with a context word, or the US NANP shape.
"""

from __future__ import annotations

import ipaddress
import re

from gateway.pii import entity_types as et
from gateway.pii.recognizers.regex_recognizer import PiiPattern, RegexRecognizer

# The local part may be spelt out too: "jane dot doe", "niamh underscore darcy", "jane [dot] doe".
# Letters are any script's: addresses may be internationalised ("josé.garcía@correo.es", RFC 6531).
_SPELT_JOIN = (
    r"(?:\s+(?i:dot|underscore|dash|hyphen)\s+|\s*[\[\(\{<]\s*(?i:dot|underscore|dash)\s*[\]\)\}>]\s*)"
)
_LOCAL = rf"[\w.%+-]+(?:{_SPELT_JOIN}[\w.%+-]+)*"
_DOMAIN_WORD = r"[^\W_]+(?:-[^\W_]+)*"
# "jane [at] example [dot] org", "jane(at)example.org", "jane at example dot org", "jane @ example . org"
_AT = r"(?:\s*[\[\(\{<]\s*(?i:at|@)\s*[\]\)\}>]\s*|\s+(?i:at)\s+|\s+@\s+)"
_DOT = r"(?:\s*[\[\(\{<]\s*(?i:dot|\.)\s*[\]\)\}>]\s*|\s+(?i:dot)\s+|\s?\.\s?)"
_TLD = r"(?i:[a-z]{2}|com|org|net|edu|gov|mil|int|info|biz|health|bank)"
_OBFUSCATED_EMAIL = rf"(?<![\w.%+-]){_LOCAL}{_AT}{_DOMAIN_WORD}(?:{_DOT}{_DOMAIN_WORD})*{_DOT}{_TLD}\b"

_PHONE_CONTEXT = (
    r"(?i:phone|ph|tel|telephone|cell|cellphone|mobile|mob|fax|call(?:\s+me)?(?:\s+at)?|pager|contact"
    r"|reach(?:\s+(?:me|her|him|them))?(?:\s+at|\s+on)?|ring|text|whatsapp|number|landline|home|work|daytime)"
)
# A trunk-prefixed national number: "020 7946 0958", "07700 900123", "030 1234567", "(0)20 7946 0958".
_NATIONAL = r"(?:\(0\)\s?|0)\d{1,4}(?:[ .\-/]?\d{2,4}){1,3}"
_EXTENSION = r"(?:,?\s*(?i:x|ext\.?|extn\.?|extension)\s*\d{1,5})"
# Words that name a telephone itself ("number", "home", "work" alone also precede other numbers).
_PHONE_WORD = (
    r"(?i:\b(?:phone|ph|tel|telephone|cell|cellphone|mobile|mob|fax|pager|landline|whatsapp|call\s*back"
    r"|call(?:\s+(?:me|her|him|them))?(?:\s+(?:at|on))?|reach(?:\s+(?:me|her|him|them))?(?:\s+(?:at|on))?))"
)
# Digits grouped any way after a phone word: "reach me on 98450 12345", "cell 555-0142".
_GROUPED = r"\d{2,5}(?:[ .-]\d{2,5}){1,4}"
# Without a context word, national shapes distinctive enough alone: an area code in brackets
# ("(02) 9876 5432", "(11) 98765-4321"), the French pairs ("01 42 68 53 00"), and a trunk "0" with
# 10-11 digits in space-separated groups ("0803 123 4567"; dashed groups are NDC and order numbers).
_BRACKETED_AREA = r"(?<![\w)])\(0?\d{1,3}\)[ .-]?\d{3,5}[ .-]?\d{4}(?![\d-])"
_FRENCH_PAIRS = r"(?<![\w.-])0[1-9]([ .])\d{2}(?:\1\d{2}){3}(?![\w-]|\.\d)"
_TRUNK_GROUPED = r"(?<![\w.+/-])0\d{1,4}(?: \d{2,8}){1,3}(?![\w-]|[./]\d)"
_IPV4 = r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?!\d|\.\d)"
# Every compressed and full IPv6 shape; ``_public_ip`` then asks the standard library.
_IPV6 = r"(?<![\w:])(?:[0-9A-Fa-f]{1,4}:){1,7}(?::|(?::?[0-9A-Fa-f]{1,6}){1,7})(?:%\w+)?(?![\w:])|(?<![\w:])::(?:[0-9A-Fa-f]{1,4}:){0,6}[0-9A-Fa-f]{1,4}(?![\w:])"


def _public_ip(value: str) -> bool:
    try:
        address = ipaddress.ip_address(value.split("%")[0])
    except ValueError:
        # A mistyped IPv6 address ("fe80::9656:4007ff:fe49:6a29") still points at one machine.
        return value.count(":") >= 4 and "::" in value and any(c.isalpha() for c in value)
    # Loopback / unspecified addresses are configuration, not a person's identifier.
    return not (address.is_loopback or address.is_unspecified or address.is_multicast)


_EXTENSION_TAIL = re.compile(r"(?i:,?\s*(?:x|ext\.?|extn\.?|extension)\s*\d{1,5})$")


def _phone_digits(value: str) -> bool:
    """E.164 allows at most 15 digits; an extension does not count."""
    digits = sum(ch.isdigit() for ch in _EXTENSION_TAIL.sub("", value))
    return 7 <= digits <= 15


def _international_digits(value: str) -> bool:
    """A "00" dialling prefix needs a whole number behind it: "00123456" is a case or order id."""
    if not value.startswith("00"):
        return _phone_digits(value)
    digits = sum(ch.isdigit() for ch in _EXTENSION_TAIL.sub("", value))
    grouped = any(not ch.isdigit() for ch in value.strip())
    return _phone_digits(value[2:]) and digits >= (11 if grouped else 12)


def _national_digits(value: str) -> bool:
    return 10 <= sum(ch.isdigit() for ch in value) <= 11


def contact_recognizers() -> list[RegexRecognizer]:
    return [
        RegexRecognizer(
            et.EMAIL_ADDRESS,
            [
                PiiPattern("email", r"(?<![\w.%+-])[\w.%+-]+@[^\W_]+(?:[.-][^\W_]+)*\.[^\W\d_]{2,}\b", 1.0),
                PiiPattern("email_obfuscated", _OBFUSCATED_EMAIL, 0.85),
            ],
            name="EmailRecognizer",
        ),
        RegexRecognizer(
            et.PHONE_NUMBER,
            [
                PiiPattern(
                    "phone_us",
                    r"(?<![\w-])(?:\+?1[ .-]?)?(?:\(\d{3}\)[ .-]?|\d{3}[ ./-])\d{3}[ .-]\d{4}(?![\d-])"
                    rf"{_EXTENSION}?",
                    0.8,
                ),
                PiiPattern(
                    "phone_intl",
                    r"(?<![\w+])(?:\(\+[1-9]\d{0,2}\)|(?:\+|00)[1-9]\d{0,2})[ .-]?(?:\(0?\d{0,4}\)[ .-]?)?\d{1,5}(?:[ .-]?\d{2,5}){1,4}(?!\d)"
                    rf"{_EXTENSION}?",
                    0.75,
                    _international_digits,
                ),
                PiiPattern(
                    "phone_context",
                    rf"{_PHONE_CONTEXT}[^\w\n]{{0,6}}(?:(?i:number|no\.?|is|at|on)\s*[^\w\n]{{0,3}}){{0,2}}"
                    rf"(?P<pii>(?:\d{{10}}|{_NATIONAL})(?!\d){_EXTENSION}?)",
                    0.8,
                    _phone_digits,
                ),
                PiiPattern(
                    "phone_word_grouped",
                    rf"{_PHONE_WORD}[^\w\n]{{0,6}}(?:(?i:number|no\.?|is|at|on)\s*[^\w\n]{{0,3}}){{0,2}}"
                    rf"(?P<pii>(?:{_GROUPED}|\d{{3}}-\d{{4}})(?![\d.-]\d){_EXTENSION}?)",
                    0.7,
                    _phone_digits,
                ),
                PiiPattern("phone_bracketed_area", rf"{_BRACKETED_AREA}{_EXTENSION}?", 0.6, _phone_digits),
                PiiPattern("phone_french_pairs", _FRENCH_PAIRS, 0.6),
                PiiPattern("phone_trunk_grouped", _TRUNK_GROUPED, 0.5, _national_digits),
            ],
            name="PhoneRecognizer",
        ),
        RegexRecognizer(
            et.IP_ADDRESS,
            [
                PiiPattern("ipv4", _IPV4, 0.7, _public_ip),
                PiiPattern("ipv6", _IPV6, 0.7, _public_ip),
            ],
            name="IpAddressRecognizer",
        ),
    ]
