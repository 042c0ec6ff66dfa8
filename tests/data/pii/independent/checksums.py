"""Check-digit algorithms, used both to generate valid identifiers and to validate the dataset."""

from __future__ import annotations

import string


def luhn_check_digit(payload: str) -> str:
    """The digit that makes ``payload + digit`` pass the Luhn test."""
    total = 0
    for index, char in enumerate(reversed(payload)):
        digit = int(char)
        if index % 2 == 0:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return str((10 - total % 10) % 10)


def luhn_valid(number: str) -> bool:
    digits = "".join(c for c in number if c.isdigit())
    return len(digits) >= 2 and luhn_check_digit(digits[:-1]) == digits[-1]


def _iban_numeric(rearranged: str) -> int:
    return int("".join(str(int(c, 36)) for c in rearranged))


def iban_check_digits(country: str, bban: str) -> str:
    return f"{98 - _iban_numeric(bban + country + '00') % 97:02d}"


def iban_valid(iban: str) -> bool:
    compact = "".join(iban.split()).upper()
    if len(compact) < 15 or not compact[:2].isalpha() or not compact[2:4].isdigit():
        return False
    if any(c not in string.ascii_uppercase + string.digits for c in compact):
        return False
    return _iban_numeric(compact[4:] + compact[:4]) % 97 == 1


def npi_valid(npi: str) -> bool:
    """An NPI is Luhn-valid once the ISO card-issuer prefix 80840 is put in front of it."""
    return len(npi) == 10 and npi.isdigit() and luhn_valid("80840" + npi)


def dea_check_digit(six_digits: str) -> str:
    d = [int(c) for c in six_digits]
    return str((d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5])) % 10)


def dea_valid(dea: str) -> bool:
    if len(dea) != 9 or not dea[0].isalpha() or not dea[2:].isdigit():
        return False
    return dea_check_digit(dea[2:8]) == dea[8]


def aba_valid(routing: str) -> bool:
    if len(routing) != 9 or not routing.isdigit():
        return False
    d = [int(c) for c in routing]
    return (3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + (d[2] + d[5] + d[8])) % 10 == 0
