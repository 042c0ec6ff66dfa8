"""Drop what spaCy's NER calls a person or place but clinical and banking text uses as a term.

"Parkinson's", "Crohn disease", "Bell's palsy", "Foley", "Molly", "Xanax": eponyms, devices, drug and
street-drug names. Only NER findings are filtered: a name found by a labelled pattern ("Patient:
Wilson, Grace") is kept even when the surname is also an eponym.
"""

from __future__ import annotations

import re
from pathlib import Path

_EPONYM_FOLLOWERS = re.compile(
    r"^(?:'s|’s|s')?\s+(?:[a-z]+\s+)?(?:disease|syndrome|sign|signs|test|maneuver|manoeuvre|reflex|phenomenon|palsy"
    r"|criteria|score|scale|classification|procedure|operation|fracture|tumou?r|lymphoma|sarcoma"
    r"|disorder|law|equation|formula|method|triad|catheter|tube|ulcer|node|point|stage|staging"
    r"|repair|block|position|rules?|index|curve|plot|correction|protocol|regimen|contracture"
    r"|thyroiditis|encephalopathy|dementia|chorea|anomaly|cyst|diverticulum|neuroma|esophagus"
    r"|oesophagus|breathing|tumour|phenomenon)\b",
    re.IGNORECASE,
)
_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’-]*")

_TERMS = frozenset(
    """
    parkinson alzheimer crohn hodgkin cushing addison graves hashimoto tourette huntington raynaud
    sjogren sjögren kawasaki guillain barre barré asperger gehrig apgar glasgow foley heimlich
    babinski mcburney homan homans kernig brudzinski romberg trendelenburg valsalva epley dix
    hallpike whipple nissen roux billroth swan ganz holter doppler ziehl giemsa pap bence korotkoff
    kussmaul cheyne stokes virchow rovsing chvostek trousseau lhermitte tinel phalen finkelstein
    lachman mcmurray ortolani barlow gleason breslow fitzpatrick mallampati pugh ranson framingham
    kaplan meier spearman bonferroni wilcoxon kruskal wallis tukey bayes gauss markov bernoulli
    poisson fallot wolff chiari dandy marfan ehlers danlos klinefelter prader willi angelman rett
    patau bartter gitelman zollinger peutz jeghers mallory boerhaave meckel hirschsprung kaposi
    burkitt ewing wilms gerstmann korsakoff wernicke broca horner argyll charcot tooth friedreich
    duchenne osgood schlatter legg calve perthes colles galeazzi monteggia lisfranc chopart sachs
    bankart dupuytren ledderhose peyronie lyme ebola marburg nipah norwalk coxsackie epstein barr
    sezary sternberg auer levodopa carbidopa metformin lisinopril atorvastatin simvastatin
    rosuvastatin amlodipine losartan metoprolol carvedilol warfarin apixaban rivaroxaban heparin
    enoxaparin insulin glargine lispro aspart glipizide sitagliptin empagliflozin dapagliflozin
    semaglutide liraglutide levothyroxine prednisone methylprednisolone dexamethasone albuterol
    fluticasone budesonide montelukast tiotropium omeprazole pantoprazole famotidine ondansetron
    metoclopramide gabapentin pregabalin duloxetine sertraline fluoxetine citalopram escitalopram
    bupropion trazodone mirtazapine quetiapine olanzapine risperidone aripiprazole haloperidol
    lorazepam alprazolam clonazepam diazepam zolpidem oxycodone hydrocodone morphine hydromorphone
    fentanyl tramadol buprenorphine naloxone methadone acetaminophen ibuprofen naproxen celecoxib
    aspirin clopidogrel ticagrelor furosemide hydrochlorothiazide spironolactone amoxicillin
    augmentin azithromycin ceftriaxone cephalexin ciprofloxacin levofloxacin doxycycline vancomycin
    piperacillin tazobactam meropenem nitrofurantoin metronidazole clindamycin bactrim xanax valium
    ativan klonopin percocet vicodin norco oxycontin adderall ritalin ambien lasix coumadin eliquis
    xarelto lipitor zocor crestor norvasc synthroid lantus humalog novolog ozempic jardiance farxiga
    januvia glucophage zoloft prozac lexapro wellbutrin seroquel abilify narcan suboxone tylenol
    advil motrin aleve plavix keppra dilantin depakote lamictal tegretol sinemet molly ecstasy
    ketamine percs roxy
    """.split()
)


# Role and document words that NER tags as a person when they open a sentence ("Customer called").
_ROLE_WORDS = frozenset(
    """
    customer client borrower co-borrower applicant beneficiary driver chargeback patient member
    subscriber account loan officer investigator analyst physician doctor nurse provider pharmacy
    hospital clinic insurance medicare medicaid bank wire routing swift iban ssn dob mrn npi dea
    coma scale score ankle knee rules criteria sign test
    discharge admission diagnosis impression assessment plan history vitals exam labs allergies
    medications reference originator remitter sender recipient payee cardholder fraud alert dispute
    transaction transfer deposit balance statement regulation policy guarantor attending referral
    carer caregiver login full reg
    zelle venmo paypal cashapp revolut monzo wise moneygram western union swish interac paytm upi
    """.split()
)


def is_clinical_term(text: str, following: str) -> bool:
    """True when a NER person/location span is an eponym, drug or device, not someone's name."""
    if _EPONYM_FOLLOWERS.match(following):
        return True
    words = [_strip_possessive(token).casefold() for token in _TOKEN.findall(text)]
    return bool(words) and all(word in _TERMS or word in _ROLE_WORDS for word in words)


_REGIONS_FILE = Path(__file__).resolve().parent / "data" / "regions.txt"


def load_regions(path: Path = _REGIONS_FILE) -> frozenset[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().casefold() for line in lines if line.strip() and not line.startswith("#"))


_INFLECTIONS = ("", "s", "es", "ed", "d", "ing", "ly")
# Words that make the capitalised words before them an institution: "Cleveland Clinic", "Boston General".
INSTITUTION_WORDS = frozenset(
    """
    General Memorial Regional Children Hospital Clinic Medical Health Healthcare University College
    School Bank Savings Credit Infirmary Airport Police Court Council Trust Center Centre Institute
    Community Federal National Insurance Pharmacy Cancer Heart Eye Foundation Group Partners Associates
    """.split()
)


def is_word_in(word: str, dictionary: frozenset[str]) -> bool:
    """``word`` or the stem it inflects ("Billing" -> "bill", "Closed" -> "close") is in ``dictionary``."""
    folded = word.casefold()
    for suffix in _INFLECTIONS:
        stem = folded[: -len(suffix)] if suffix and folded.endswith(suffix) else folded
        if stem in dictionary or stem + "e" in dictionary:
            return True
    return False


def is_known_term(word: str) -> bool:
    folded = _strip_possessive(word).casefold()
    return folded in _TERMS or folded in _ROLE_WORDS


_EDGE_WORD = re.compile(r"[\w'’.-]+")


def trim_label_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a NER span past record labels at its edges: "John  MRN" -> "John"."""
    words = [(m.start() + start, m.end() + start) for m in _EDGE_WORD.finditer(text[start:end])]
    while words and _is_label(text[words[-1][0] : words[-1][1]]):
        words.pop()
    while words and _is_label(text[words[0][0] : words[0][1]]):
        words.pop(0)
    return (words[0][0], words[-1][1]) if words else (start, start)


def _is_label(word: str) -> bool:
    letters = word.strip(".")
    return (letters.isupper() and len(letters) <= 4) or is_known_term(letters)


# A capital after three lower-case letters inside a word is product casing ("PostgreSQL", "OpenAI",
# "CurrentUser"); names put theirs after a short prefix ("McCarthy", "MacKenzie", "DeShawn", "LaToya").
_PRODUCT_CASING = re.compile(r"[a-z]{3}[A-Z]")
_NAME_PREFIXES = ("Fitz", "Mac", "Van", "Von", "Della", "Dela")


def has_product_casing(word: str) -> bool:
    stem = next((word[len(prefix) :] for prefix in _NAME_PREFIXES if word.startswith(prefix)), word)
    return bool(_PRODUCT_CASING.search(stem))


def is_implausible_name(text: str) -> bool:
    """Abbreviations ("BP", "HR"), tokens with digits and product casing are never a person or a place."""
    if any(ch.isdigit() for ch in text):
        return True
    if any(has_product_casing(word) for word in text.split()):
        return True
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) < 2 or (text.isupper() and len(letters) <= 4)


def _strip_possessive(token: str) -> str:
    for suffix in ("'s", "’s", "'", "’"):
        if token.endswith(suffix):
            return token[: -len(suffix)]
    return token


# Street names of drugs (DEA drug slang) that are also given names: alone they are the drug.
STREET_DRUG_NAMES = frozenset(
    {"molly", "tina", "charlie", "mary jane", "special k", "lucy", "henry", "crystal", "ice", "snow"}
)
_KEY_BEFORE = re.compile(r"(?:^|\n)[ \t]*\|?[ \t]*$")
# The key may run on for a word or two after the span: "| Login IP |", "Med Rec #:".
_KEY_AFTER = re.compile(r"(?:[ \t]+[\w()/.#-]{1,12}){0,2}[ \t]*(?:\|[ \t]|:|=|[ \t]-[ \t]|\t)")


def is_street_drug_name(value: str) -> bool:
    return value.strip().casefold() in STREET_DRUG_NAMES


def is_field_key(text: str, start: int, end: int) -> bool:
    """True for the key of a "Key: value" line or a "| Key | value |" row: a label, not a name."""
    line_start = text.rfind("\n", 0, start) + 1
    return bool(_KEY_BEFORE.search(text[line_start:start]) and _KEY_AFTER.match(text, end))
