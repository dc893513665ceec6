"""Mask one value so that it cannot be recovered but its shape stays recognizable.

Every masked output matches one of `_MASKED_FORMS`, and a value that already matches one is returned
unchanged: that is what makes masking idempotent (`mask(mask(x)) == mask(x)`). A value that does not parse
as the requested category falls back to the generic mask (first character and `***`), which never keeps
more than one character.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import phonenumbers

from crmsec.pii.categories import Category
from crmsec.pii.detector import find_spans
from crmsec.pii.shapes import parse_date

_MASKED_FORMS = re.compile(
    r"\S?\*{3}"  # generic
    r"|[^\s@*]\*{3}@[^\s@*]\*{3}\.[A-Za-z]{2,24}"  # email
    r"|(?:\+\d{1,3} )?\d{0,3}\*{3,}\d{1,4}"  # phone
    r"|\d{4}\*{4,}[0-9A-Za-z]{4}"  # resident ID
    r"|\*{9,15}\d{4}"  # payment card
    r"|[A-Z]{2}\*{6,}[0-9A-Z]{4}"  # IBAN
    r"|\*{3}-\*{2}-\d{4}"  # SSN
    r"|\*{4,}[0-9A-Z]{2}"  # passport
    r"|\d{1,3}(?:\.\*){3}|[0-9a-f]{1,4}:\*{4}"  # IPv4, IPv6
    r"|\d{4}-\*\*-\*\*"  # date of birth
    r"|[\u4e00-\u9fff]\*{1,3}|\S\*{3}(?: \S\*{3})+"  # person names
)
_EMAIL = re.compile(r"([^\s@]+)@([^\s@]+)\.([A-Za-z]{2,24})")


def mask(value: str, category: str | None = None) -> str:
    """Mask `value` for display: `j***@e***.com`, `+86 138****5678`, `1101**********123X`, `张*`, `J*** D***`.

    `category` is a `Category` value; without it the category is detected, and text that is not exactly
    one detected value gets the generic mask. Idempotent; never returns more than the shape.
    """
    text = value.strip()
    if not text:
        return ""
    if _MASKED_FORMS.fullmatch(text):
        return text
    try:
        kind = Category(category) if category is not None else _whole_value_category(text)
    except ValueError:
        kind = None
    masked = _MASKERS[kind](text) if kind is not None else None
    return masked if masked is not None else _generic(text)


def _whole_value_category(text: str) -> Category | None:
    spans = find_spans(text)
    whole = [span.category for span in spans if span.start == 0 and span.end == len(text)]
    return whole[0] if len(whole) == 1 and len(spans) == 1 else None


def _generic(text: str) -> str:
    return text[0] + "***" if len(text) >= 4 else "***"


def _email(text: str) -> str | None:
    match = _EMAIL.fullmatch(text)
    if not match:
        return None
    return f"{match.group(1)[0]}***@{match.group(2)[0]}***.{match.group(3)}"


def _phone(text: str) -> str | None:
    main = re.split(r"\s*(?:x|ext\.?|#)\s*\d", text, maxsplit=1)[0]
    digits = "".join(char for char in main if char.isdigit())
    if not 7 <= len(digits) <= 15 or not digits.isascii():
        return None
    prefix, national = "", digits
    if main.startswith(("+", "00")):
        try:
            number = phonenumbers.parse("+" + digits.removeprefix("00") if main.startswith("00") else main, None)
        except phonenumbers.NumberParseException:
            return None
        prefix, national = f"+{number.country_code} ", str(number.national_number)
    head = national[:3] if len(national) >= 10 else ""
    stars = max(3, len(national) - len(head) - 4)
    return f"{prefix}{head}{'*' * stars}{national[-4:]}"


def _resident_id(text: str) -> str | None:
    compact = text.replace(" ", "")
    if len(compact) != 18 or not compact[:17].isdigit():
        return None
    return compact[:4] + "*" * 10 + compact[-4:].upper()


def _card(text: str) -> str | None:
    digits = "".join(char for char in text if char.isdigit())
    return "*" * (len(digits) - 4) + digits[-4:] if 13 <= len(digits) <= 19 and digits.isascii() else None


def _iban(text: str) -> str | None:
    compact = text.replace(" ", "").upper()
    if not 15 <= len(compact) <= 34 or not compact.isalnum() or not compact.isascii():
        return None
    return compact[:2] + "*" * (len(compact) - 6) + compact[-4:]


def _ssn(text: str) -> str | None:
    digits = "".join(char for char in text if char.isdigit())
    return f"***-**-{digits[-4:]}" if len(digits) == 9 and digits.isascii() else None


def _passport(text: str) -> str | None:
    compact = text.replace(" ", "").upper()
    if not 6 <= len(compact) <= 12 or not compact.isalnum() or not compact.isascii():
        return None
    return "*" * (len(compact) - 2) + compact[-2:]


def _ip_address(text: str) -> str | None:
    if text.count(".") == 3 and text.split(".")[0].isdigit() and text.isascii():
        return text.split(".")[0][:3] + ".*.*.*"
    head = text.split(":")[0].lower()
    if text.count(":") >= 2 and re.fullmatch(r"[0-9a-f]{1,4}", head):
        return head + ":****"
    return None


def _date_of_birth(text: str) -> str | None:
    day = parse_date(text)
    return f"{day.year:04d}-**-**" if day else None


def _person_name(text: str) -> str | None:
    if all("\u4e00" <= char <= "\u9fff" or char == "·" for char in text):
        return text[0] + "*" * min(3, max(1, len(text) - 1)) if "\u4e00" <= text[0] <= "\u9fff" else None
    tokens = text.split()
    if len(tokens) < 2:
        return None
    return " ".join(token[0] + "***" for token in tokens)


def _street_address(text: str) -> str | None:
    return None  # an address has no safe part to keep: the generic mask applies


_MASKERS: dict[Category, Callable[[str], str | None]] = {
    Category.EMAIL: _email,
    Category.PHONE: _phone,
    Category.CN_RESIDENT_ID: _resident_id,
    Category.PAYMENT_CARD: _card,
    Category.IBAN: _iban,
    Category.US_SSN: _ssn,
    Category.PASSPORT: _passport,
    Category.IP_ADDRESS: _ip_address,
    Category.DATE_OF_BIRTH: _date_of_birth,
    Category.PERSON_NAME: _person_name,
    Category.STREET_ADDRESS: _street_address,
}
