"""Validators run on regex candidates: checksums, issuer prefixes, length tables and plausibility rules.

Each validator takes the candidate text (separators already removed where noted) and returns a bool. They
are cheap, pure and never raise on odd input; `phone_valid` is the only one that calls `phonenumbers`,
and only after the cheap structural checks passed.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
from functools import lru_cache

import phonenumbers

_LUHN_DOUBLED = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)

# (prefix range low, high, prefix length, allowed lengths): Visa, Mastercard, Amex, Discover, JCB,
# UnionPay, Diners Club, Mir. Maestro is left out: its prefixes cover most 5x/6x numbers.
_CARD_ISSUERS: tuple[tuple[int, int, int, frozenset[int]], ...] = (
    (4, 4, 1, frozenset({13, 16, 19})),
    (51, 55, 2, frozenset({16})),
    (2221, 2720, 4, frozenset({16})),
    (34, 34, 2, frozenset({15})),
    (37, 37, 2, frozenset({15})),
    (6011, 6011, 4, frozenset({16, 17, 18, 19})),
    (644, 649, 3, frozenset({16, 17, 18, 19})),
    (65, 65, 2, frozenset({16, 17, 18, 19})),
    (35, 35, 2, frozenset({16, 17, 18, 19})),  # JCB: 3528-3589 assigned; generators use all of 35xx
    (62, 62, 2, frozenset({16, 17, 18, 19})),
    (300, 305, 3, frozenset({14, 16, 17, 18, 19})),
    (36, 36, 2, frozenset({14, 16, 17, 18, 19})),
    (38, 39, 2, frozenset({16, 17, 18, 19})),
    (2200, 2204, 4, frozenset({16, 17, 18, 19})),
)

_GB11643_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_GB11643_CHECK = "10X98765432"

# ISO 13616 lengths of the IBAN registry (country code -> total length).
_IBAN_LENGTHS: dict[str, int] = {
    item[:2]: int(item[3:])
    for item in [
        "AD:24",
        "AE:23",
        "AL:28",
        "AT:20",
        "AZ:28",
        "BA:20",
        "BE:16",
        "BG:22",
        "BH:22",
        "BI:27",
        "BR:29",
        "BY:28",
        "CH:21",
        "CR:22",
        "CY:28",
        "CZ:24",
        "DE:22",
        "DJ:27",
        "DK:18",
        "DO:28",
        "EE:20",
        "EG:29",
        "ES:24",
        "FI:18",
        "FK:18",
        "FO:18",
        "FR:27",
        "GB:22",
        "GE:22",
        "GI:23",
        "GL:18",
        "GR:27",
        "GT:28",
        "HR:21",
        "HU:28",
        "IE:22",
        "IL:23",
        "IQ:23",
        "IS:26",
        "IT:27",
        "JO:30",
        "KW:30",
        "KZ:20",
        "LB:28",
        "LC:32",
        "LI:21",
        "LT:20",
        "LU:20",
        "LV:21",
        "LY:25",
        "MC:27",
        "MD:24",
        "ME:22",
        "MK:19",
        "MN:20",
        "MR:27",
        "MT:31",
        "MU:30",
        "NI:28",
        "NL:18",
        "NO:15",
        "OM:23",
        "PK:24",
        "PL:28",
        "PS:29",
        "QA:29",
        "RO:24",
        "RS:22",
        "RU:33",
        "SA:24",
        "SC:31",
        "SD:18",
        "SE:24",
        "SI:19",
        "SK:24",
        "SM:27",
        "SO:23",
        "ST:25",
        "SV:28",
        "TL:23",
        "TN:24",
        "TR:26",
        "UA:29",
        "VA:22",
        "VG:24",
        "XK:20",
        "YE:30",
    ]
}

# Mobile prefixes of the PRC numbering plan (MIIT), first three digits.
_CN_MOBILE = re.compile(r"1(?:3\d|4[5-9]|5[0-35-9]|6[2567]|7[0-8]|8\d|9[0-35-9])\d{8}")
_NANP = re.compile(r"1?[2-9]\d{2}[2-9]\d{6}")
_TRUNK_REGIONS = ("GB", "DE", "FR", "CN", "IT", "ES", "NL", "AT", "CH", "BE")
_SSN_SAMPLES = frozenset({"078051120", "219099999", "123456789"})


def luhn_valid(digits: str) -> bool:
    """True when the digit string passes the Luhn (mod 10) check; False for empty or non-digit input."""
    if not digits or not digits.isascii() or not digits.isdigit():
        return False
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = ord(char) - 48
        total += _LUHN_DOUBLED[value] if position % 2 else value
    return total % 10 == 0


def card_issuer_known(digits: str) -> bool:
    """True when the number's prefix and length belong to a major card scheme."""
    length = len(digits)
    return any(length in lengths and low <= int(digits[:width]) <= high for low, high, width, lengths in _CARD_ISSUERS)


def payment_card_valid(digits: str) -> bool:
    """A 13-19 digit card number with a known issuer prefix, a Luhn check digit and not all one digit."""
    return 13 <= len(digits) <= 19 and len(set(digits)) > 1 and card_issuer_known(digits) and luhn_valid(digits)


def cn_resident_id_valid(text: str) -> bool:
    """An 18-character PRC resident ID (GB 11643-1999): region, a real birth date and the check character."""
    if len(text) != 18 or not text[:17].isdigit() or not text.isascii():
        return False
    if text[0] not in "12345678" or not plausible_birth_date(text[6:14]):
        return False
    total = sum(int(char) * weight for char, weight in zip(text[:17], _GB11643_WEIGHTS, strict=True))
    return _GB11643_CHECK[total % 11] == text[17].upper()


def plausible_birth_date(yyyymmdd: str) -> bool:
    """True for a real calendar date between 1900-01-01 and today (UTC)."""
    try:
        day = dt.date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        return False
    return dt.date(1900, 1, 1) <= day <= dt.datetime.now(dt.UTC).date()


def iban_valid(compact: str) -> bool:
    """An IBAN without spaces: registry length for its country and ISO 7064 mod 97-10 remainder 1."""
    text = compact.upper()
    if _IBAN_LENGTHS.get(text[:2]) != len(text) or not text[2:4].isdigit() or not text.isalnum():
        return False
    rearranged = text[4:] + text[:4]
    number = "".join(str(int(char, 36)) for char in rearranged)
    return int(number) % 97 == 1


def us_ssn_valid(digits: str) -> bool:
    """A US SSN by SSA rules: area not 000, 666 or 9xx; group not 00; serial not 0000; no known samples."""
    if len(digits) != 9 or not digits.isdigit():
        return False
    area, group, serial = digits[:3], digits[3:5], digits[5:]
    if area in ("000", "666") or area[0] == "9" or group == "00" or serial == "0000":
        return False
    return digits not in _SSN_SAMPLES


def ipv4_valid(text: str) -> bool:
    """Four decimal octets 0-255 without leading zeros, excluding 0.0.0.0."""
    parts = text.split(".")
    if len(parts) != 4:
        return False
    for part in parts:
        if not part.isdigit() or len(part) > 3 or (len(part) > 1 and part[0] == "0") or int(part) > 255:
            return False
    return any(part != "0" for part in parts)


def ipv6_valid(text: str) -> bool:
    """A full or compressed IPv6 address with at least three groups (so times and MACs are refused)."""
    if text.count(":") < 2 or ("::" not in text and text.count(":") != 7 and "." not in text):
        return False
    try:
        ipaddress.IPv6Address(text)
    except ValueError:
        return False
    return True


def phone_valid(candidate: str, digits: str) -> bool:
    """A phone number valid per `phonenumbers`, chosen by shape so look-alike numbers are not tried blindly.

    `+`/`00` numbers are parsed internationally; 11-digit `1[3-9]` numbers as PRC mobiles; NANP numbers
    written with separators or parentheses as US/CA; numbers with a trunk `0` against GB, DE, FR, CN and
    other European plans. Bare digit runs of any other shape (a bare `4501234567` is as likely a purchase
    order as a phone) are refused; see `bare_nanp_phone` for columns whose name says "phone".
    """
    if not 7 <= len(digits) <= 15:
        return False
    stripped = candidate.lstrip("(")
    if candidate == digits and digits.startswith("00") and len(digits) < 11:
        return False  # a bare 00-led run this short is an account or passport number, not "+CC ..."
    if stripped.startswith("+") or stripped.startswith("00"):
        international = "+" + (digits[2:] if stripped.startswith("00") else digits)
        return _valid_in(international, None)
    if len(digits) == 11 and _CN_MOBILE.fullmatch(digits):
        return True
    if digits[0] == "0":
        if candidate == digits and len(digits) < 10:
            return False  # a bare 0-led 9-digit run is more often a passport or account number
        return any(_valid_in(digits, region) for region in _TRUNK_REGIONS)
    if candidate != digits and _NANP.fullmatch(digits):
        return _valid_in(digits, "US")
    return False


def bare_nanp_phone(text: str) -> bool:
    """A bare 10/11-digit NANP number valid per `phonenumbers` (weak: only trusted in a phone-named column)."""
    return text.isascii() and _NANP.fullmatch(text) is not None and _valid_in(text, "US")


@lru_cache(maxsize=4096)
def _valid_in(number: str, region: str | None) -> bool:
    try:
        parsed = phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException:
        return False
    return bool(phonenumbers.is_valid_number(parsed))
