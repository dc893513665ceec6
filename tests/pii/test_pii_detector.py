"""detect_value: positives and look-alike negatives per category, CJK boundaries, robustness."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmsec.pii import Category, detect_value

C = Category


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("jane.doe@example.com", [C.EMAIL]),
        ("联系邮箱：zhang.wei@example.cn。", [C.EMAIL]),
        ("+86 138 0013 8000", [C.PHONE]),
        ("联系电话13800138000。", [C.PHONE]),
        ("手机:138-0013-8000，谢谢", [C.PHONE]),
        ("(415) 867-5309", [C.PHONE]),
        ("+44 20 7946 0958", [C.PHONE]),
        ("身份证号：11010519491231002X，", [C.CN_RESIDENT_ID]),
        ("身份证11010519491231002X已核验", [C.CN_RESIDENT_ID]),
        ("4111 1111 1111 1111", [C.PAYMENT_CARD]),
        ("付款卡号4111-1111-1111-1111，合同编号HT12345678。", [C.PAYMENT_CARD]),
        ("DE89 3704 0044 0532 0130 00", [C.IBAN]),
        ("Wire to GB82WEST12345698765432 today", [C.IBAN]),
        ("536-22-1234", [C.US_SSN]),
        ("SSN: 536221234", [C.US_SSN]),
        ("Passport No: E12345678", [C.PASSPORT]),
        ("护照号码：E12345678", [C.PASSPORT]),
        ("登录IP 203.0.113.7 异常", [C.IP_ADDRESS]),
        ("2001:db8::8a2e:370:7334", [C.IP_ADDRESS]),
        ("DOB: 1984-07-21", [C.DATE_OF_BIRTH]),
        ("出生日期：1984年7月21日", [C.DATE_OF_BIRTH]),
        ("姓名：张伟", [C.PERSON_NAME]),
        ("Name: Jane Doe", [C.PERSON_NAME]),
        ("1600 Pennsylvania Avenue, Washington, DC 20500", [C.STREET_ADDRESS]),
        ("Hauptstraße 12, 10115 Berlin", [C.STREET_ADDRESS]),
        ("北京市朝阳区建国路88号", [C.STREET_ADDRESS]),
        ("Portland, OR 97201", [C.STREET_ADDRESS]),
        ("Flat 7, Jones Light, North Holly, S6 7LJ", [C.STREET_ADDRESS]),
        ("8, avenue Manon Gillet, 97636 Sainte Antoinenec", [C.STREET_ADDRESS]),
    ],
)
def test_positives(text: str, expected: list[Category]) -> None:
    assert detect_value(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "4111 1111 1111 1112",  # card shape, Luhn fails
        "1234567890123456",  # 16-digit order number
        "110105194912310021",  # resident ID shape, bad check character
        "DE89370400440532013001",  # IBAN shape, mod 97 fails
        "000-12-3456",  # SSN area 000
        "666-12-3456",
        "2024-05-13 10:20:30",  # timestamp
        "2024-05-13T10:20:30Z",
        "20240513102030",  # compact timestamp
        "1715600000",  # epoch seconds
        "4500012345",  # purchase-order number (bare 10 digits)
        "SO-2024-000123",  # order number
        "CRM-1234-A",  # product code
        "SKU123456789012",  # SKU with digits
        "12,345.67",  # amount
        "550e8400-e29b-41d4-a716-446655440000",  # UUID
        "v1.2.3.4",  # version, not an IP
        "999.1.1.1",
        "12:30:45",
        "1984-07-21",  # a bare date is not a birth date without a label
        "Jane Doe",  # a bare name is not reported without a label or a field hint
        "订单号12800138000",  # 11 digits, but no PRC mobile starts with 12
        "Closed Won",
        "Spring 2024 campaign",
        "Reviewed, XX 12345 pending",  # not a US state code
        "",
    ],
)
def test_look_alikes_are_not_reported(text: str) -> None:
    assert detect_value(text) == []


def test_cjk_boundaries_without_word_breaks() -> None:
    text = "客户张伟来电，手机13800138000，身份证号11010519491231002X，邮箱zw@example.cn。"
    assert detect_value(text) == [C.EMAIL, C.PHONE, C.CN_RESIDENT_ID]


def test_ascii_letters_glued_to_digits_block_a_match() -> None:
    assert detect_value("ID13800138000X") == []
    assert detect_value("A4111111111111111") == []


def test_several_categories_in_one_note_come_in_declaration_order() -> None:
    text = "Paid with card 4111 1111 1111 1111; reach me at jane@example.com or +86 138 0013 8000"
    assert detect_value(text) == [C.EMAIL, C.PHONE, C.PAYMENT_CARD]


@settings(max_examples=300)
@given(st.text(max_size=200))
def test_detect_value_never_raises(text: str) -> None:
    result = detect_value(text)
    assert all(isinstance(category, Category) for category in result)
    assert len(result) == len(set(result))


@settings(max_examples=200)
@given(st.text(alphabet="0123456789 -+().:/xX年月日@abcDE", max_size=60))
def test_detect_value_never_raises_on_number_soup(text: str) -> None:
    detect_value(text)
