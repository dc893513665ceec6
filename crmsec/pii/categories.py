"""The PII categories crmsec detects, and which of them a validator can confirm from the value alone."""

from __future__ import annotations

from enum import StrEnum


class Category(StrEnum):
    """A kind of personal data; the value appears in JSON exactly as written."""

    EMAIL = "email"
    PHONE = "phone"
    CN_RESIDENT_ID = "cn_resident_id"
    PAYMENT_CARD = "payment_card"
    IBAN = "iban"
    US_SSN = "us_ssn"
    PASSPORT = "passport"
    IP_ADDRESS = "ip_address"
    DATE_OF_BIRTH = "date_of_birth"
    PERSON_NAME = "person_name"
    STREET_ADDRESS = "street_address"


VALIDATED: frozenset[Category] = frozenset(
    {
        Category.EMAIL,
        Category.PHONE,
        Category.CN_RESIDENT_ID,
        Category.PAYMENT_CARD,
        Category.IBAN,
        Category.US_SSN,
        Category.IP_ADDRESS,
        Category.STREET_ADDRESS,
    }
)
"""Categories whose value evidence is strong on its own (checksum, format rules or a distinctive shape)."""

WEAK: frozenset[Category] = frozenset(Category) - VALIDATED
"""Categories whose values look like ordinary text or numbers: they need a field-name hint or a label."""

ORDER: dict[Category, int] = {category: index for index, category in enumerate(Category)}
"""Declaration order, used to sort categories deterministically."""
