"""Field-name hints in English and Chinese: which PII categories a column name suggests.

English names are split into lower-case tokens (camelCase, snake_case, kebab-case, dots). A category is
hinted when one of its token patterns appears and no negative token does (`HasOptedOutOfEmail`,
`phone_verified`, `email_template`, `AccountName` are not PII fields). Chinese names are matched by
keywords, longest first, so `IP地址` hints an IP address rather than a street address and `客户名称` (a company
name) hints nothing.
"""

from __future__ import annotations

import re
from functools import lru_cache

from crmsec.pii.categories import Category

_SPLIT = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")

# Each entry: a category and the token sequences that hint it (contiguous, after tokenizing).
_EN_PATTERNS: tuple[tuple[Category, tuple[tuple[str, ...], ...]], ...] = (
    (Category.EMAIL, (("email",), ("e", "mail"), ("mail", "address"), ("emailaddress",), ("mail",))),
    (
        Category.PHONE,
        (
            ("phone",),
            ("mobile",),
            ("cell",),
            ("tel",),
            ("telephone",),
            ("fax",),
            ("msisdn",),
            ("phonenumber",),
            ("mobilephone",),
            ("homephone",),
            ("cellphone",),
            ("contact", "number"),
        ),
    ),
    (
        Category.CN_RESIDENT_ID,
        (
            ("id", "card"),
            ("idcard",),
            ("resident", "id"),
            ("national", "id"),
            ("citizen", "id"),
            ("identity", "card"),
            ("identity", "number"),
            ("sfz",),
        ),
    ),
    (
        Category.PAYMENT_CARD,
        (
            ("card",),
            ("card", "number"),
            ("card", "no"),
            ("card", "num"),
            ("credit", "card"),
            ("debit", "card"),
            ("bank", "card"),
            ("cc", "number"),
            ("pan",),
            ("cardnumber",),
        ),
    ),
    (Category.IBAN, (("iban",),)),
    (Category.US_SSN, (("ssn",), ("social", "security"))),
    (Category.PASSPORT, (("passport",),)),
    (Category.IP_ADDRESS, (("ip",), ("ipv4",), ("ipv6",), ("ipaddress",), ("remote", "addr"), ("ip", "addr"))),
    (Category.DATE_OF_BIRTH, (("dob",), ("birth",), ("birthday",), ("birthdate",), ("born",), ("date", "of", "birth"))),
    (
        Category.PERSON_NAME,
        (
            ("name",),
            ("firstname",),
            ("lastname",),
            ("fullname",),
            ("surname",),
            ("forename",),
            ("given", "name"),
            ("family", "name"),
            ("contact",),
            ("customer",),
        ),
    ),
    (
        Category.STREET_ADDRESS,
        (("address",), ("street",), ("addr",), ("mailing", "address"), ("address", "line"), ("residence",)),
    ),
)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Tokens that turn a hint off for a category (flags, counts, types, templates, other entities' names).
_EN_NEGATIVE: dict[Category, frozenset[str]] = {
    Category.EMAIL: _words(
        "bounce bounced campaign consent count domain enabled format has invalid is opt opted optout "
        "preference sent status subscription template type valid verified"
    ),
    Category.PHONE: _words(
        "brand code count country do ext extension has is model not opt optout os type valid verified"
    ),
    Category.CN_RESIDENT_ID: _words("expiry has is issuer type verified"),
    Category.PAYMENT_CARD: _words(
        "brand business count exp expiration expiry has holder id is rate report score sd type"
    ),
    Category.IBAN: _words("has is valid verified"),
    Category.US_SSN: _words("has is last last4 verified"),
    Category.PASSPORT: _words("country expiration expiry has is issued type"),
    Category.IP_ADDRESS: _words(
        "allowlist count enabled has is policy range ranges relax relaxation restriction restrictions whitelist"
    ),
    Category.DATE_OF_BIRTH: _words("city country has is place"),
    Category.PERSON_NAME: _words(
        "account address api app application bank birth brand browser bucket business campaign card city "
        "class company count country deal dev developer device display dob domain email event field file "
        "group has host id industry ip is job key label layout lead legal list method number object "
        "opportunity org organisation organization os package page partner pet phone plan product profile "
        "project queue record region report role segment server service since site source stage status "
        "street supplier table tag team template territory tier trade type user username vendor web"
    ),
    Category.STREET_ADDRESS: _words(
        "bitcoin count crypto e email emailaddress has ip ipaddress ipv4 ipv6 is mac mail remote server "
        "type url valid validated verified wallet web"
    ),
}

_ZH_KEYWORDS: tuple[tuple[str, Category | None], ...] = (
    ("ip地址", Category.IP_ADDRESS),
    ("邮箱地址", Category.EMAIL),
    ("邮件地址", Category.EMAIL),
    ("电子邮件", Category.EMAIL),
    ("电子邮箱", Category.EMAIL),
    ("身份证", Category.CN_RESIDENT_ID),
    ("银行卡", Category.PAYMENT_CARD),
    ("信用卡", Category.PAYMENT_CARD),
    ("出生日期", Category.DATE_OF_BIRTH),
    ("联系人", Category.PERSON_NAME),
    ("社保号", Category.US_SSN),
    ("邮编", None),
    ("客户名称", None),
    ("邮箱", Category.EMAIL),
    ("邮件", Category.EMAIL),
    ("手机", Category.PHONE),
    ("电话", Category.PHONE),
    ("座机", Category.PHONE),
    ("传真", Category.PHONE),
    ("卡号", Category.PAYMENT_CARD),
    ("姓名", Category.PERSON_NAME),
    ("名字", Category.PERSON_NAME),
    ("法人", Category.PERSON_NAME),
    ("地址", Category.STREET_ADDRESS),
    ("住址", Category.STREET_ADDRESS),
    ("街道", Category.STREET_ADDRESS),
    ("出生", Category.DATE_OF_BIRTH),
    ("生日", Category.DATE_OF_BIRTH),
    ("护照", Category.PASSPORT),
    ("证件号", Category.CN_RESIDENT_ID),
)
_ZH_NEGATIVE = (
    "是否",
    "已验证",
    "验证",
    "类型",
    "模板",
    "品牌",
    "名称",
    "时间",
    "状态",
    "次数",
    "数量",
    "归属地",
    "型号",
    "运营商",
    "格式",
)


def name_hints(field_name: str) -> set[Category]:
    """The PII categories a field name suggests (English tokens or Chinese keywords); empty when none."""
    return set(_cached_hints(field_name))


@lru_cache(maxsize=8192)
def _cached_hints(field_name: str) -> frozenset[Category]:
    return _english_hints(field_name) | _chinese_hints(field_name)


def tokenize(field_name: str) -> tuple[str, ...]:
    """Lower-case word tokens of a field name: `BillingStreet` -> ("billing", "street")."""
    ascii_part = "".join(char if char.isascii() else " " for char in field_name)
    return tuple(token.lower() for token in _SPLIT.findall(ascii_part))


def _english_hints(field_name: str) -> frozenset[Category]:
    tokens = tokenize(field_name)
    if not tokens:
        return frozenset()
    token_set = set(tokens)
    hints = set()
    for category, patterns in _EN_PATTERNS:
        if token_set & _EN_NEGATIVE[category]:
            continue
        if any(_contains(tokens, pattern) for pattern in patterns):
            hints.add(category)
    if Category.STREET_ADDRESS in hints and hints & {Category.EMAIL, Category.IP_ADDRESS}:
        hints.discard(Category.STREET_ADDRESS)
    return frozenset(hints)


def _contains(tokens: tuple[str, ...], pattern: tuple[str, ...]) -> bool:
    width = len(pattern)
    return any(tokens[index : index + width] == pattern for index in range(len(tokens) - width + 1))


def _chinese_hints(field_name: str) -> frozenset[Category]:
    text = field_name.lower()
    if text.isascii() or any(negative in text for negative in _ZH_NEGATIVE):
        return frozenset()
    hints: set[Category] = set()
    for keyword, category in sorted(_ZH_KEYWORDS, key=lambda item: -len(item[0])):
        if keyword in text:
            text = text.replace(keyword, " ")
            if category is not None:
                hints.add(category)
    return frozenset(hints)
