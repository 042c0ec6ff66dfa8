"""Check digits of the identifiers we recognize: a candidate that fails its checksum is not reported.

This is what keeps a 9-digit lab value from being called a routing number, or a 16-digit order id a card.
"""

from __future__ import annotations

import re

_NON_ALNUM = re.compile(r"[^0-9A-Za-z]")


def digits_only(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


def luhn_valid(number: str) -> bool:
    digits = digits_only(number)
    if len(digits) < 2:
        return False
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = int(char)
        if position % 2 == 1:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def npi_valid(npi: str) -> bool:
    """NPI: Luhn over the number prefixed with the health-industry issuer code 80840."""
    digits = digits_only(npi)
    return len(digits) == 10 and digits[0] in "12" and luhn_valid("80840" + digits)


def aba_routing_valid(number: str) -> bool:
    digits = digits_only(number)
    if len(digits) != 9 or digits[:2] not in _ABA_PREFIXES:
        return False
    weights = (3, 7, 1) * 3
    return sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 10 == 0


# Federal Reserve routing symbols: 00-12 banks, 21-32 thrifts, 61-72 electronic, 80 traveller's cheques.
_ABA_PREFIXES = frozenset(
    [f"{n:02d}" for n in range(0, 13)]
    + [f"{n:02d}" for n in range(21, 33)]
    + [f"{n:02d}" for n in range(61, 73)]
    + ["80"]
)


def iban_valid(iban: str) -> bool:
    compact = _NON_ALNUM.sub("", iban).upper()
    if not 15 <= len(compact) <= 34 or not compact[:2].isalpha() or not compact[2:4].isdigit():
        return False
    rearranged = compact[4:] + compact[:4]
    numeric = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(numeric) % 97 == 1


def dea_valid(dea: str) -> bool:
    """DEA: two letters, seven digits; (d1+d3+d5) + 2*(d2+d4+d6) ends in d7."""
    compact = _NON_ALNUM.sub("", dea).upper()
    if len(compact) != 9 or not compact[:2].isalpha() or not compact[2:].isdigit():
        return False
    d = [int(ch) for ch in compact[2:]]
    return (d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5])) % 10 == d[6]


def ssn_plausible(ssn: str) -> bool:
    """SSA never issues area 000, 666 or 9xx, group 00 or serial 0000."""
    digits = digits_only(ssn)
    if len(digits) != 9:
        return False
    area, group, serial = digits[:3], digits[3:5], digits[5:]
    return area not in {"000", "666"} and area[0] != "9" and group != "00" and serial != "0000"
