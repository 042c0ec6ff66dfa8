from __future__ import annotations

from collections.abc import Callable

import pytest

from gateway.pii.checksums import (
    aba_routing_valid,
    dea_valid,
    iban_valid,
    luhn_valid,
    npi_valid,
    ssn_plausible,
)


@pytest.mark.parametrize(
    ("check", "valid", "invalid"),
    [
        (luhn_valid, "4111 1111 1111 1111", "4111 1111 1111 1112"),
        (luhn_valid, "2221-0000-0000-0009", "2221-0000-0000-0008"),
        (npi_valid, "1234567893", "1234567890"),
        (aba_routing_valid, "021000021", "021000022"),
        (iban_valid, "DE89 3704 0044 0532 0130 00", "DE88 3704 0044 0532 0130 00"),
        (iban_valid, "GB82WEST12345698765432", "GB82WEST12345698765433"),
        (dea_valid, "AB1234563", "AB1234564"),
        (ssn_plausible, "123-45-6789", "666-45-6789"),
        (ssn_plausible, "219 09 9999", "123-00-6789"),
    ],
)
def test_checksum_accepts_valid_and_rejects_one_digit_off(
    check: Callable[[str], bool], valid: str, invalid: str
) -> None:
    assert check(valid)
    assert not check(invalid)


def test_aba_refuses_unassigned_prefix_even_with_good_checksum() -> None:
    # 50xxxxxxx is not a Federal Reserve routing symbol; weights still sum to a multiple of 10.
    assert not aba_routing_valid("500000000")
