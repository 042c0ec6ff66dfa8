"""Identity data: SSN, driver licence, calendar dates (US, day-first, ISO, written out)."""

from __future__ import annotations

import re

from gateway.pii import entity_types as et
from gateway.pii.checksums import ssn_plausible
from gateway.pii.recognizers.regex_recognizer import PiiPattern, RegexRecognizer

_SSN_LABEL = r"(?i:\bSSN|\bSS\s*#|\bsocial(?:\s+security)?(?:\s+(?:number|no\.?|#))?|\bSSA\s+number|\bTIN)"
_STATES = (
    r"Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|Hawaii"
    r"|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan"
    r"|Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|New\s+Hampshire|New\s+Jersey|New\s+Mexico"
    r"|New\s+York|North\s+Carolina|North\s+Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|Rhode\s+Island"
    r"|South\s+Carolina|South\s+Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|West\s+Virginia"
    r"|Wisconsin|Wyoming|[A-Z]{2}"
)
_DL_LABEL = (
    r"(?:(?i:driv(?:er|ing)(?:'s|s|’s)?\s+lic(?:en[sc]e|\.)?(?:\s+(?:number|no\.?|#|id))?|\bDL\b|\bD/L\b|\bD\.L\."
    r"|\bDLN\b|\bCDL\b|\bOLN\b|operator(?:'s)?\s+licen[sc]e|licen[sc]e\s+(?:number|no\.?|#|id|is)|licen[sc]e:|\blic\.?\s*(?:no\.?|#)"
    r"|state\s+(?:id|identification)(?:\s+card)?(?:\s+(?:number|no\.?|#))?|\bID\s+card(?:\s+(?:number|no\.?|#))?)"
    rf"|\b(?=[A-Z])(?:{_STATES})[ \t]+(?i:licen[sc]e|lic\.))"
)
# Between a licence label and its value: punctuation, "number is", "issued by Texas", "(CA)".
_DL_GAP = (
    rf"[^\w\n]{{0,6}}(?:(?:(?i:is|number|no\.?|#|issued\s+(?:by|in)|from|state|of|please)|{_STATES})\b[^\w\n]{{0,4}}){{0,4}}"
    rf"(?:\n[ \t]*(?:[a-z]+:[ \t]*)?)?"
)
# State formats run from 1 letter + 4 digits to 13 characters with dashes or Washington's "*".
_DL_VALUE = r"(?P<pii>(?=[A-Za-z*-]*\s?\d)[A-Za-z0-9](?:[A-Za-z0-9*-]|\s(?=\d{3})){3,18}[A-Za-z0-9])"
_DATE_SHAPE = re.compile(r"^\d{4}-\d{2}-\d{2}$|^\d{1,2}-\d{1,2}-\d{2,4}$")

_MONTH = (
    r"(?i:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
# A time written with a date belongs to it: "2024-06-02 21:01", "…T03:29:07Z", "at 9:37 pm", "1446h".
_TIME = (
    r"(?:(?:[01]?\d|2[0-3])[:.][0-5]\d(?::[0-5]\d(?:\.\d+)?)?(?:\s?(?i:[ap]\.?m\.?))?(?:\s?(?:Z|UTC|GMT|[+-]\d{2}:?\d{2}))?"
    r"|(?:[01]?\d|2[0-3])\s?(?i:[ap]\.?m\.?)|(?:[01]\d|2[0-3])[0-5]\dh)"
)
_TIME_AFTER = rf"(?:(?:T|,?\s+(?:(?i:at)\s+)?|\s*@\s*){_TIME})?"
_TIME_BEFORE = rf"(?:{_TIME},?\s+(?:(?i:on)\s+)?)?"
_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
_ORDINAL = r"(?:st|nd|rd|th)"
_DAY_WORD = (
    r"(?i:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth"
    r"|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|twenty[- ](?:first|second"
    r"|third|fourth|fifth|sixth|seventh|eighth|ninth)|thirtieth|thirty[- ]first)"
)
_MONTH_NUM = r"(?:0?[1-9]|1[0-2])"
_YEAR = r"(?:19|20)\d{2}"
_UNIT_WORD = r"(?:one|two|three|four|five|six|seven|eight|nine)"
_TENS_WORD = r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
_TEEN_WORD = r"(?:ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)"
# A year read aloud: "nineteen eighty", "nineteen oh five", "two thousand and twelve", "twenty twenty-one".
_SPOKEN_YEAR = (
    rf"(?i:(?:nineteen|twenty)[- ](?:hundred|oh[- ]{_UNIT_WORD}|{_TEEN_WORD}|{_TENS_WORD}(?:[- ]{_UNIT_WORD})?)"
    rf"|two[- ]thousand(?:[- ](?:and[- ])?(?:{_TEEN_WORD}|{_TENS_WORD}(?:[- ]{_UNIT_WORD})?|{_UNIT_WORD}))?)"
)
_ANY_YEAR = rf"(?:{_YEAR}|{_SPOKEN_YEAR})\b"
# A letter may wrap "19\nAugust 2025" between day and month; then the year must follow.
_DAY_MONTH_GAP = rf"(?:[ -]|\n(?={_MONTH}[ \t]+{_YEAR}))"


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
    shapes = [
        ("date_us", rf"{_MONTH_NUM}([/-]){_DAY}\1(?:{_YEAR}|\d{{2}})", 0.8),
        ("date_day_first", rf"{_DAY}([/.-]){_MONTH_NUM}\1(?:{_YEAR}|\d{{2}})", 0.8),
        ("date_iso", rf"{_YEAR}([-/.])(?:0?[1-9]|1[0-2])\1(?:0?[1-9]|[12]\d|3[01])", 0.8),
        ("date_month_first", rf"{_MONTH}[ -](?:the[ ])?{day}(?:,?[\s-]{_ANY_YEAR}|(?![\w,.-]*\d))", 0.7),
        (
            "date_day_first_named",
            rf"(?:{day}|{_DAY_WORD})(?:\s+(?i:of))?{_DAY_MONTH_GAP}{_MONTH}(?:,?[\s-]{_ANY_YEAR})?",
            0.7,
        ),
        ("date_written", rf"{_MONTH}\s+(?:the\s+)?{_DAY_WORD}(?:,?\s+{_ANY_YEAR})?", 0.7),
        ("date_month_year", rf"{_MONTH}(?:\s+of)?,?\s+{_YEAR}", 0.6),
    ]
    # A time before or after the date is part of its span; "\1" in a shape is its own separator.
    patterns = [
        PiiPattern(name, rf"\b{_TIME_BEFORE}(?:{shape}){_TIME_AFTER}(?![\w/])", score)
        for name, shape, score in shapes
    ]
    compact = rf"{_YEAR}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?:[01]\d|2[0-3])?(?:[0-5]\d){{0,2}}"
    # Not a build, lot or batch number that happens to read as a date ("build 20240115").
    not_build = "".join(
        f"(?<!{word} )" for word in ("build", "Build", "BUILD", "lot", "Lot", "LOT", "batch", "Batch")
    )
    patterns.append(PiiPattern("date_compact", rf"(?<![\w.-]){not_build}{compact}(?![\w-]|\.\w)", 0.6))
    # SWIFT MT fields carry value dates as YYMMDD right after the tag (":32A:190531USD…").
    patterns.append(PiiPattern("date_swift", r":(?:32A|30|30V|30T):(?P<pii>(?:19|20)?\d{6})", 0.8))
    return patterns
