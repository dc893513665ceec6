"""Validators: checksums, issuer prefixes, SSA rules, IP forms, and Luhn against a reference."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmsec.pii import validators


def reference_luhn(number: str) -> bool:
    """Textbook Luhn: double every second digit from the right, sum digits, divisible by 10."""
    digits = [int(char) for char in number]
    checksum = 0
    for index, digit in enumerate(reversed(digits)):
        if index % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        checksum += digit
    return checksum % 10 == 0


@given(st.text(alphabet="0123456789", min_size=1, max_size=24))
def test_luhn_agrees_with_reference(number: str) -> None:
    assert validators.luhn_valid(number) == reference_luhn(number)


@given(st.text(max_size=30))
def test_luhn_never_accepts_non_digits(text: str) -> None:
    if not (text.isascii() and text.isdigit()):
        assert not validators.luhn_valid(text)


@pytest.mark.parametrize(
    "number",
    [
        "4111111111111111",
        "5555555555554444",
        "378282246310005",
        "6011111111111117",
        "3530111333300000",
        "6212345678901265",
        "2221000000000009",
    ],
)
def test_payment_cards_accepted(number: str) -> None:
    assert validators.payment_card_valid(number)


@pytest.mark.parametrize(
    "number",
    [
        "4111111111111112",  # Luhn fails
        "1234567890123452",  # Luhn passes, no issuer starts with 1
        "9999999999999995",  # Luhn passes, no issuer
        "37828224631000",  # Amex prefix with the wrong length
        "0000000000000000",  # one repeated digit
    ],
)
def test_card_look_alikes_refused(number: str) -> None:
    assert not validators.payment_card_valid(number)


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        ("11010519491231002X", True),
        ("11010519491231002x", True),
        ("110105194912310021", False),  # wrong check character
        ("11010519491331002X", False),  # month 13
        ("91010519491231002X", False),  # no region starts with 9
        ("1101051949123100", False),  # too short
    ],
)
def test_cn_resident_id(text: str, valid: bool) -> None:
    assert validators.cn_resident_id_valid(text) is valid


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        ("DE89370400440532013000", True),
        ("GB82WEST12345698765432", True),
        ("FR1420041010050500013M02606", True),
        ("DE89370400440532013001", False),  # mod 97 fails
        ("DE8937040044053201300", False),  # wrong length for DE
        ("XX89370400440532013000", False),  # unknown country
    ],
)
def test_iban(text: str, valid: bool) -> None:
    assert validators.iban_valid(text) is valid


@pytest.mark.parametrize(
    ("digits", "valid"),
    [
        ("536221234", True),
        ("000221234", False),
        ("666221234", False),
        ("936221234", False),
        ("536001234", False),
        ("536220000", False),
        ("078051120", False),  # the Woolworth wallet sample
    ],
)
def test_us_ssn_rules(digits: str, valid: bool) -> None:
    assert validators.us_ssn_valid(digits) is valid


@pytest.mark.parametrize(
    ("text", "valid"),
    [("192.168.1.20", True), ("8.8.8.8", True), ("256.1.1.1", False), ("01.2.3.4", False), ("0.0.0.0", False)],
)
def test_ipv4(text: str, valid: bool) -> None:
    assert validators.ipv4_valid(text) is valid


@pytest.mark.parametrize(
    ("text", "valid"),
    [("2001:db8::1", True), ("fe80:0:0:0:202:b3ff:fe1e:8329", True), ("12:30:45", False), ("00:1a:2b:3c:4d:5e", False)],
)
def test_ipv6(text: str, valid: bool) -> None:
    assert validators.ipv6_valid(text) is valid


@pytest.mark.parametrize(
    ("candidate", "valid"),
    [
        ("+86 138 0013 8000", True),
        ("13800138000", True),
        ("0086 138 0013 8000", True),
        ("(415) 867-5309", True),
        ("020 7946 0958", True),
        ("12800138000", False),  # no PRC mobile starts with 12
        ("4155550123", False),  # bare 10 digits: could be any order number
        ("012345678", False),  # bare 0-led 9 digits
        ("006123456", False),  # bare 00-led 9 digits (a passport number, not +61...)
    ],
)
def test_phone_shapes(candidate: str, valid: bool) -> None:
    digits = "".join(char for char in candidate if char.isdigit())
    assert validators.phone_valid(candidate, digits) is valid


def test_bare_nanp_phone_is_only_a_weak_shape() -> None:
    assert validators.bare_nanp_phone("4158675309")
    assert not validators.bare_nanp_phone("1715600000")  # epoch seconds: no NANP area code starts with 1
