"""Field-name hints in English and Chinese, with their negative lists."""

from __future__ import annotations

import pytest

from crmsec.pii import Category, name_hints

C = Category


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("email", {C.EMAIL}),
        ("EmailAddress", {C.EMAIL}),
        ("邮箱", {C.EMAIL}),
        ("MobilePhone", {C.PHONE}),
        ("联系电话", {C.PHONE}),
        ("手机号码", {C.PHONE}),
        ("id_card", {C.CN_RESIDENT_ID}),
        ("身份证号码", {C.CN_RESIDENT_ID}),
        ("FirstName", {C.PERSON_NAME}),
        ("客户姓名", {C.PERSON_NAME}),
        ("MailingStreet", {C.STREET_ADDRESS}),
        ("联系地址", {C.STREET_ADDRESS}),
        ("Birthdate", {C.DATE_OF_BIRTH}),
        ("dob", {C.DATE_OF_BIRTH}),
        ("出生日期", {C.DATE_OF_BIRTH}),
        ("passport_no", {C.PASSPORT}),
        ("护照号码", {C.PASSPORT}),
        ("ssn", {C.US_SSN}),
        ("iban", {C.IBAN}),
        ("card_number", {C.PAYMENT_CARD}),
        ("card", {C.PAYMENT_CARD}),
        ("银行卡号", {C.PAYMENT_CARD}),
        ("last_login_ip", {C.IP_ADDRESS}),
        ("IP地址", {C.IP_ADDRESS}),
        ("ip_address", {C.IP_ADDRESS}),
    ],
)
def test_hints(field: str, expected: set[Category]) -> None:
    assert name_hints(field) == expected


@pytest.mark.parametrize(
    "field",
    [
        "HasOptedOutOfEmail",
        "phone_verified",
        "AccountName",
        "StageName",
        "product_name",
        "email_template",
        "CardType",
        "business_card",
        "CardHolderName",
        "客户名称",
        "手机品牌",
        "邮箱已验证",
        "是否接听电话",
        "timezone",
        "zip",
        "created_at",
        "notes",
        "",
    ],
)
def test_confusers_hint_nothing(field: str) -> None:
    assert name_hints(field) == set()


def test_returned_sets_are_independent_copies() -> None:
    name_hints("email").add(C.PHONE)
    assert name_hints("email") == {C.EMAIL}
