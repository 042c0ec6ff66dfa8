"""Whole postal addresses: house number through city, state or province, and ZIP or post code.

HIPAA Safe Harbor removes every geographic subdivision smaller than a state, so the span is the whole
address, not just the street. Shapes follow postal conventions (USPS Publication 28 suffixes and unit
designators, Royal Mail, Canada Post and the continental "street number, post code city" order), so
they do not depend on any one corpus. spaCy tags "Main Street" as a facility at best and never the
house number. A labelled address ("Address: ...", "lives at ...") is taken to the end of its clause.
"""

from __future__ import annotations

from gateway.pii import entity_types as et
from gateway.pii.recognizers.address_parts import (
    CITY_TAIL,
    CONTINENTAL,
    NO_SUFFIX_WITH_CODE,
    PO_BOX,
    STREET,
    UNIT,
    UNIT_BEFORE,
    UNIT_FIRST,
    US_CITY_LINE,
)
from gateway.pii.recognizers.labelled_address import LabelledAddressRecognizer
from gateway.pii.recognizers.regex_recognizer import PiiPattern, RegexRecognizer


def address_recognizers() -> list[RegexRecognizer | LabelledAddressRecognizer]:
    return [
        RegexRecognizer(
            et.STREET_ADDRESS,
            [
                PiiPattern("street", rf"{STREET}{UNIT}?{CITY_TAIL}?", 0.85),
                PiiPattern("no_suffix_with_code", NO_SUFFIX_WITH_CODE, 0.75),
                # A separate pattern, checked only where a unit word can start: an optional prefix on
                # the patterns above would double their cost.
                PiiPattern(
                    "unit_before",
                    rf"(?=[FfAaUuSs]){UNIT_BEFORE}(?:{STREET}{UNIT}?{CITY_TAIL}?|{NO_SUFFIX_WITH_CODE})",
                    0.8,
                ),
                PiiPattern("po_box", rf"{PO_BOX}{CITY_TAIL}?", 0.85),
                PiiPattern("continental", CONTINENTAL, 0.8),
                PiiPattern("unit_first", UNIT_FIRST, 0.8),
                PiiPattern("city_state_zip", US_CITY_LINE, 0.75),
            ],
            name="StreetAddressRecognizer",
        ),
        LabelledAddressRecognizer(),
    ]
