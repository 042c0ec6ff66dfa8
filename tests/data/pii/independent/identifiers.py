"""Random personal identifiers in the many shapes people actually write them."""

from __future__ import annotations

import random
import string
from collections.abc import Callable

from tests.data.pii.independent.checksums import dea_check_digit, iban_check_digits, luhn_check_digit

DIGITS = string.digits
UPPER = string.ascii_uppercase


def digits(rng: random.Random, count: int) -> str:
    return "".join(rng.choice(DIGITS) for _ in range(count))


def ssn(rng: random.Random) -> str:
    area = rng.choice([n for n in range(1, 900) if n != 666])
    raw = f"{area:03d}{rng.randint(1, 99):02d}{rng.randint(1, 9999):04d}"
    sep = rng.choice(["-", "-", "-", " ", ""])
    return sep.join([raw[:3], raw[3:5], raw[5:]])


_CARD_PREFIXES = [("4", 16), ("51", 16), ("55", 16), ("2221", 16), ("6011", 16), ("34", 15), ("37", 15)]


def credit_card(rng: random.Random) -> str:
    prefix, length = rng.choice(_CARD_PREFIXES)
    body = prefix + digits(rng, length - len(prefix) - 1)
    number = body + luhn_check_digit(body)
    sep = rng.choice([" ", "-", "", " "])
    groups = (
        [number[:4], number[4:10], number[10:]]
        if length == 15
        else [number[i : i + 4] for i in range(0, 16, 4)]
    )
    return sep.join(groups)


# country -> BBAN shape: "n" digit, "a" upper letter, "c" alphanumeric
_IBAN_SHAPES = {
    "DE": "n" * 18,
    "GB": "aaaa" + "n" * 14,
    "FR": "n" * 10 + "c" * 11 + "nn",
    "NL": "aaaa" + "n" * 10,
    "ES": "n" * 20,
    "IT": "a" + "n" * 10 + "c" * 12,
    "PL": "n" * 24,
    "IE": "aaaa" + "n" * 14,
    "BE": "n" * 12,
    "PT": "n" * 21,
    "AT": "n" * 16,
}


def iban(rng: random.Random, country: str | None = None) -> str:
    country = country or rng.choice(sorted(_IBAN_SHAPES))
    pools = {"n": DIGITS, "a": UPPER, "c": UPPER + DIGITS}
    bban = "".join(rng.choice(pools[k]) for k in _IBAN_SHAPES[country])
    compact = country + iban_check_digits(country, bban) + bban
    if rng.random() < 0.6:
        return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))
    return compact


def bank_account(rng: random.Random) -> str:
    return digits(rng, rng.choice([8, 9, 10, 10, 12, 12, 14]))


def mrn(rng: random.Random) -> str:
    shapes = [
        lambda: digits(rng, 8),
        lambda: digits(rng, 7),
        lambda: "E" + digits(rng, 7),
        lambda: f"{digits(rng, 4)}-{digits(rng, 3)}",
        lambda: "MR" + digits(rng, 6),
        lambda: f"{digits(rng, 2)}-{digits(rng, 2)}-{digits(rng, 2)}",
    ]
    return rng.choice(shapes)()


def npi(rng: random.Random) -> str:
    body = rng.choice("12") + digits(rng, 8)
    return body + luhn_check_digit("80840" + body)


def dea(rng: random.Random, surname: str) -> str:
    first = rng.choice("ABFGMPR")
    initial = surname.lstrip("'").replace("'", "")[:1].upper()
    second = initial if initial in UPPER else "9"
    six = digits(rng, 6)
    return first + second + six + dea_check_digit(six)


_MBI_LETTERS = "ACDEFGHJKMNPQRTUVWXY"


def health_plan_id(rng: random.Random) -> str:
    def mbi() -> str:
        a, n, an = _MBI_LETTERS, DIGITS, _MBI_LETTERS + DIGITS
        pattern = [
            rng.choice("123456789"),
            rng.choice(a),
            rng.choice(an),
            rng.choice(n),
            rng.choice(a),
            rng.choice(an),
            rng.choice(n),
            rng.choice(a),
            rng.choice(a),
            rng.choice(n),
            rng.choice(n),
        ]
        raw = "".join(pattern)
        return raw if rng.random() < 0.5 else f"{raw[:4]}-{raw[4:7]}-{raw[7:]}"

    shapes: list[Callable[[], str]] = [
        lambda: "".join(rng.choice(UPPER) for _ in range(3)) + digits(rng, 9),
        lambda: "W" + digits(rng, 9),
        lambda: "U" + digits(rng, 10),
        lambda: f"{digits(rng, 8)}-{digits(rng, 2)}",
        lambda: "".join(rng.choice(UPPER) for _ in range(2)) + digits(rng, 5) + rng.choice(UPPER),
        lambda: "ZGP" + digits(rng, 6) + "0" + digits(rng, 1),
        mbi,
        lambda: "H" + digits(rng, 4) + "-" + digits(rng, 6),
    ]
    return rng.choice(shapes)()


def _letter(rng: random.Random) -> str:
    return rng.choice(UPPER)


# state -> layouts ("#" digit, "@" letter); shapes follow each state's published licence layout
_LICENCE_SHAPES: dict[str, list[str]] = {
    "CA": ["@#######"],
    "NY": ["#########", "### ### ###"],
    "FL": ["@###-###-##-###-#", "@############"],
    "IL": ["@###-####-####", "@###########"],
    "TX": ["########"],
    "PA": ["## ### ###", "########"],
    "WA": ["WDL@@@@###@#", "@@@@@@@###@@"],
    "NJ": ["@#### ##### #####", "@##############"],
    "MI": ["@ ### ### ### ###", "@############"],
    "OH": ["@@######"],
    "GA": ["#########"],
    "MA": ["S########"],
    "AZ": ["@########"],
    "CO": ["##-###-####"],
    "WI": ["@###-####-####-##"],
    "MN": ["@############"],
    "MD": ["@-###-###-###-###"],
    "VA": ["@########", "###-##-####"],
    "NC": ["############"],
    "IA": ["###@@####"],
    "NV": ["##########"],
    "OR": ["#######"],
}


def driver_license(rng: random.Random, state: str | None = None) -> tuple[str, str]:
    """Returns (state, licence number)."""
    state = state or rng.choice(sorted(_LICENCE_SHAPES))
    shape = rng.choice(_LICENCE_SHAPES[state])
    out = "".join(rng.choice(DIGITS) if c == "#" else _letter(rng) if c == "@" else c for c in shape)
    return state, out
