"""Person names in the shapes records write them, which spaCy's small model misses.

"GARCIA, Maria L.", "Patient: Nguyen, Thanh", "Dr. J. Okafor", "Sincerely,\\nPriya Raman", "Ana Ruiz, RN".
Each pattern needs a cue (a label, a title, a credential, a sign-off, or the all-caps surname of a
record header) so that ordinary capitalised words are not taken for names.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from gateway.pii import entity_types as et
from gateway.pii.recognizers.regex_recognizer import PiiPattern, RegexRecognizer

# Latin (with the extended blocks Vietnamese and Central European names need), Greek and Cyrillic.
_SCRIPTS = ((0x41, 0x7A), (0xC0, 0x24F), (0x370, 0x3FF), (0x400, 0x4FF), (0x1E00, 0x1EFF))


def _letter_class(predicate: Callable[[str], bool]) -> str:
    """A regex character-class body of every letter in ``_SCRIPTS`` that ``predicate`` accepts."""
    runs: list[tuple[int, int]] = []
    for low, high in _SCRIPTS:
        for point in range(low, high + 1):
            if predicate(chr(point)):
                if runs and runs[-1][1] == point - 1:
                    runs[-1] = (runs[-1][0], point)
                else:
                    runs.append((point, point))
    return "".join(re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "") for a, b in runs)


_UP = _letter_class(str.isupper)
_LOW = _letter_class(str.islower)
# Chinese, Japanese and Korean names have no capitals: only taken after a label or a title.
_CJK_NAME = r"[\u4e00-\u9fff\u3400-\u4dbf\uac00-\ud7af]{2,4}"
# A capitalised name word with at least one lower-case letter: Smith, McDonald, O'Brien, García.
# A hyphenated part may be lower-case too: Lopez-Rivera, Soo-ah, Ji-hoon.
_CAP = rf"[{_UP}][{_UP}{_LOW}'’]*[{_LOW}][{_UP}{_LOW}'’]*(?:-[{_UP}{_LOW}][{_LOW}'’]+)?"
CAPITALISED_NAME = _CAP
_UPPER = rf"[{_UP}][{_UP}'’]+(?:-[{_UP}][{_UP}'’]+)?"
_PARTICLE = r"(?:de|del|de la|van|von|der|da|di|dos|le|la|bin|ibn|al|el)"
_INITIAL = rf"[{_UP}]\."
# Between the words of a name in capitals: spaces, or a line break unless a "LABEL:" line follows.
_SPACE = r"[ \t]*(?:\n[ \t]*(?![^\n:]{0,30}:))?(?<=\s)"
_FIRST_LAST = (
    rf"{_CAP}(?:\s+{_CAP})?(?:\s+{_INITIAL}|\s+[{_UP}](?=\s))?(?:\s+{_PARTICLE})?\s+{_CAP}(?:[- ]{_CAP})?"
)
# All capitals ("FUNMILAYO ABUBAKAR", "A. DOS SANTOS"), a given name and an initial ("Khalid K."),
# and an initialism standing for a person ("KW") — the last only after a label.
_UPPER_FULL = rf"(?:{_INITIAL}\s?|{_UPPER}{_SPACE})(?:{_UPPER}{_SPACE}){{0,2}}{_UPPER}(?![\w'’-])"
_GIVEN_INITIAL = rf"{_CAP}(?:\s+{_CAP})?\s+[{_UP}]\.(?!\w)"
_INITIALISM = (
    r"(?!(?:ID|NPI|MRN|DOB|SSN|DEA|DL|IP|PO|NO|MR|RN|MD|NP|PA|DO|GP|ED|ER|ICU|PCP|IBAN|BIC)\b)"
    rf"[{_UP}]{{2,3}}(?!\w|\.\w)"
)
# Record labels that follow a name and a comma ("Maria Garcia, MRN 0045") are not a given name.
_NOT_GIVEN = r"(?!(?:MRN|DOB|SSN|NPI|DEA|MR|ID|DL|PCP|RN|MD|DO|NP|PA|PhD|Jr|Sr|II|III|IV)\b)"
_LAST_FIRST = (
    rf"(?:{_CAP}|{_UPPER})(?:[- ]{_CAP})?,[ \t]*{_NOT_GIVEN}(?:{_CAP}|{_UPPER})"
    rf"(?:\s+{_INITIAL}|\s+[{_UP}]\b)?"
)
_INITIAL_LAST = rf"{_INITIAL}\s?(?:{_INITIAL}\s?)?(?:{_PARTICLE}\s+)?{_CAP}"
_TITLE = r"(?:Dr|Mr|Mrs|Ms|Miss|Mx|Prof|Sr|Sra|Srta)\.?"
_LABEL = (
    r"(?i:patient(?:'s)?(?:\s+name)?|\bpt\.?|full\s+name|\bname|member(?:\s+name)?|subscriber|insured"
    r"|client|customer|borrower|co-borrower|applicant|co-applicant|beneficiary(?:\s+name)?"
    r"|account\s+holder|accountholder|card\s*holder|remitter|sender|originator|ordering\s+customer"
    r"|guarantor|emergency\s+contact|next\s+of\s+kin|spouse|mother|father|daughter|son|wife|husband"
    r"|caregiver|referring\s+(?:physician|provider|doctor)|attending(?:\s+physician)?|\bpcp|provider"
    r"|physician|surgeon|signed(?:\s+by)?|dictated\s+by|cosigned\s+by|reviewed\s+by|seen\s+by"
    r"|\bcc|\battn|attention|dear|\bhi|hello|contact|witness|claimant|complainant|payee|recipient"
    r"|agent|officer|analyst|investigator|reported\s+by|referred\s+by|employee|underwriter|consultant"
    r"|carer|ordering\s+provider|validated\s+by|verified\s+by|results\s+for|summary\s+for|note\s+for"
    r"|login\s+for|seeing|my\s+name\s+is|name\s+is|co-applicant|account\s+name|from(?=:)|policyholder"
    r"|power\s+of\s+attorney|executor|trustee|authori[sz]ed\s+user|joint\s+(?:holder|applicant))"
)
# A relative or carer named right after the relation, and a nickname: "daughter Aoife", "known as Rhys".
_RELATION = (
    r"(?=[dswhpmfbnaucgkDSWHPMFBNAUCGK])(?i:\b(?:(?:daughter|son|wife|husband|partner|mother|father|mum|mom|dad|sister|brother|nephew|niece"
    r"|aunt|uncle|cousin|grandson|granddaughter|grandmother|grandfather|fianc[eé]e?|carer|caregiver)(?:-in-law)?"
    r"|known\s+as|goes\s+by|nicknamed|aka|calls\s+(?:him|her|them)|whom\s+\w+\s+calls)\b|\ba\.k\.a\.)"
    r"(?:[ \t]*[,:])?[ \t]+[\"“‘']?"
)
_SIGN_OFF = (
    r"(?i:sincerely|regards|best|thanks|thank\s+you|respectfully|cordially|warmly|cheers"
    r"|best\s+wishes|kind\s+regards|warm\s+regards|yours\s+truly|yours)"
)
_CREDENTIAL = r"(?:MD|DO|RN|NP|PA-C|PA|PhD|DDS|PharmD|FNP|FNP-C|LCSW|MSW|CNA|APRN|DNP|CRNA|MBBS)\b"

_IDENTIFIED = r"(?=\s*[,(]\s*(?i:DOB|d\.o\.b|MRN|NPI|SSN|born|aged?\s+\d|\d{3,}|[A-Z]{1,3}\d{4,}))"
# A name given in speech, any casing: "my name is huang mei", "full name?\ncaller: yeah it's jesús castañeda".
_SPOKEN_NAME = (
    r"(?i:my\s+name\s+is|my\s+name's|full\s+name[^\n]{0,30}\n[ \t]*\w+:[ \t]*(?:yeah|yes|sure)?[ ,]*(?:it'?s|i'?m|this\s+is)?)"
    r"[ \t]+(?P<pii>[^\W\d_][\w'’-]*\.?(?:[ \t]+[^\W\d_][\w'’-]*\.?){0,3})(?=[ \t]*(?:\n|$|[.,;!?](?:\s|$)))"
)
# Capitalised words that open record sections or lines in upper case; never a surname in a header.
_NOT_SURNAMES = frozenset(
    "NOTE PLAN HPI ASSESSMENT DIAGNOSIS DIAGNOSES MEDICATIONS ALLERGIES IMPRESSION FINDINGS SUBJECTIVE"
    " OBJECTIVE HISTORY EXAM LABS VITALS RE SUBJECT FROM TO CC DATE USA US LLC INC LTD NA PO BOX"
    " DISCHARGE ADMISSION SUMMARY REASON REFERRAL WARNING ATTENTION URGENT FYI NB PS OK YES NO"
    " TOTAL AMOUNT BALANCE ACCOUNT ROUTING SWIFT IBAN WIRE FRAUD ALERT KYC AML SAR".split()
)


def _surname_not_header(value: str) -> bool:
    surname = value.split(",", 1)[0].strip().upper()
    return surname not in _NOT_SURNAMES


def name_recognizers() -> list[RegexRecognizer]:
    any_name = rf"{_LAST_FIRST}|{_INITIAL_LAST}|{_FIRST_LAST}|{_GIVEN_INITIAL}|{_UPPER_FULL}|{_CJK_NAME}"
    return [
        RegexRecognizer(
            et.PERSON,
            [
                PiiPattern(
                    "labelled",
                    rf"{_LABEL}(?:\b|(?<=\.))\s*(?:[:\-=|]|\s-\s)?[ \t]*(?:{_TITLE}\s+)?(?P<pii>(?:{_PARTICLE}\s+)?(?:{any_name})|{_INITIALISM})",
                    0.85,
                    _surname_not_header,
                ),
                PiiPattern("titled", rf"\b{_TITLE}\s+(?P<pii>{any_name}|{_CAP})", 0.85),
                PiiPattern(
                    "record_header",
                    rf"(?<![\w])(?P<pii>(?=(?:[^\W\d_]['’-]?){{3}}){_UPPER}(?:[- ]{_UPPER})?,[ \t]?{_NOT_GIVEN}(?:{_CAP}|{_UPPER})"
                    rf"(?:\s+{_INITIAL}|\s+[{_UP}]\b)?)(?![\w])",
                    0.7,
                    _surname_not_header,
                ),
                # The name on the next line, or initials on the sign-off's own line: "Sincerely, CH".
                PiiPattern(
                    "sign_off",
                    rf"{_SIGN_OFF}(?:[,.!]?[ \t]*\n[ \t]*(?:{_TITLE}\s+)?|,[ \t]*(?={_INITIALISM}[ \t]*(?:\n|$)))"
                    rf"(?P<pii>{any_name}|{_CAP}|{_INITIALISM})",
                    0.8,
                ),
                PiiPattern("relative", rf"{_RELATION}(?P<pii>{any_name}|{_CAP})(?![\w'’-])", 0.7),
                PiiPattern("credentialed", rf"(?P<pii>{any_name}),?\s+{_CREDENTIAL}", 0.85),
                # A name followed by the identifiers a record gives a person: "Aoife D'Arcy (DOB ...".
                PiiPattern(
                    "identified", rf"(?P<pii>{_LAST_FIRST}|{_INITIAL_LAST}|{_FIRST_LAST}){_IDENTIFIED}", 0.8
                ),
                PiiPattern("initial_surname", rf"(?<![\w./]){_INITIAL}[ \t]?{_CAP}(?![\w'’-])", 0.6),
                PiiPattern("spoken", _SPOKEN_NAME, 0.7),
            ],
            name="RecordNameRecognizer",
        )
    ]
