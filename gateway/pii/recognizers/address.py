"""US street addresses, optionally with unit and "City, ST 12345" on the same or the next line.

spaCy's small model tags "Main Street" as a facility at best and never the house number, so the
whole address is recognised by shape: number, street name, suffix, then the optional tail.
"""

from __future__ import annotations

from gateway.pii import entity_types as et
from gateway.pii.recognizers.regex_recognizer import PiiPattern, RegexRecognizer

_SUFFIX = (
    r"(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Drive|Dr|Lane|Ln|Court|Ct|Place|Pl|Way|Terrace"
    r"|Ter|Circle|Cir|Parkway|Pkwy|Highway|Hwy|Square|Sq|Trail|Trl|Loop|Plaza|Pike|Row|Alley|Path)"
)
_STATE = (
    r"(?:AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH"
    r"|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|PR)"
)
_NAME_WORD = r"(?:[A-Z][a-z']+|\d+(?:st|nd|rd|th)|[A-Z]{2,})"
_DIRECTION = r"(?:(?:[NSEW]|North|South|East|West|NE|NW|SE|SW)\.?\s+)"
_UNIT = r"(?:,?\s*(?:Apt|Apartment|Unit|Suite|Ste|Fl|Floor|Rm|Room|#)\.?\s*#?\s*[A-Za-z0-9-]{1,6})"
_CITY_STATE_ZIP = rf"(?:(?:,\s*|\s*\n\s*|\s+)[A-Z][a-zA-Z.'-]+(?:\s+[A-Z][a-zA-Z.'-]+){{0,2}},?\s+{_STATE}(?:\s+\d{{5}}(?:-\d{{4}})?)?)"

_STREET = (
    rf"\b\d{{1,6}}[A-Z]?(?:-\d{{1,4}})?\s+{_DIRECTION}?(?:{_NAME_WORD}\s+){{1,3}}{_SUFFIX}\b\.?"
    rf"(?:\s+(?:[NSEW]|NE|NW|SE|SW)\b\.?)?{_UNIT}?{_CITY_STATE_ZIP}?"
)
_PO_BOX = rf"\b(?i:P\.?\s?O\.?\s+Box|Post\s+Office\s+Box)\s+\d{{1,6}}{_CITY_STATE_ZIP}?"
# "Springfield, IL 62704" on its own line or after a recipient: city, state and ZIP all present.
_CITY_LINE = rf"\b[A-Z][a-zA-Z.'-]+(?:\s+[A-Z][a-zA-Z.'-]+){{0,2}},\s+{_STATE}\s+\d{{5}}(?:-\d{{4}})?\b"


def address_recognizers() -> list[RegexRecognizer]:
    return [
        RegexRecognizer(
            et.STREET_ADDRESS,
            [
                PiiPattern("street", _STREET, 0.85),
                PiiPattern("po_box", _PO_BOX, 0.85),
                PiiPattern("city_state_zip", _CITY_LINE, 0.75),
            ],
            name="StreetAddressRecognizer",
        )
    ]
