"""Find validated PII in one value: cheap prefilters, compiled patterns, then validators.

Every pattern uses explicit ASCII lookarounds (`(?<![0-9A-Za-z])`) instead of `\\b`, because Python's `re`
treats Han characters as word characters: `\\b1[3-9]\\d{9}\\b` finds nothing in `手机13812345678，`.
Candidates go through validators (Luhn + issuer prefix, GB 11643, mod 97, SSA rules, phonenumbers), so
order numbers, timestamps and product codes that merely look like PII are not reported.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from crmsec.pii import validators
from crmsec.pii.categories import ORDER, Category
from crmsec.pii.shapes import birth_date_shape, chinese_name_shape, parse_date, passport_shape

_EDGE = r"(?<![0-9A-Za-z_])"
_END = r"(?![0-9A-Za-z_])"
_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9][A-Za-z0-9._%+\-]{0,63}@"
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![A-Za-z0-9\-])"
)
_NUMBER = re.compile(
    r"(?<![0-9A-Za-z_+\-./])(\+?\(?\d[\d ().\-]{5,24}[\dXx])((?: ?(?:x|ext\.?|#) ?\d{1,6})?)(?![0-9A-Za-z_\-/:])"
)
_DATE_INSIDE = re.compile(
    r"(?<!\d)(?:(?:19|20)\d{2}[-/. ](?:0?[1-9]|1[0-2])[-/. ](?:0?[1-9]|[12]\d|3[01])"
    r"|(?:0?[1-9]|[12]\d|3[01])[-/. ](?:0?[1-9]|[12]\d|3[01])[-/. ](?:19|20)\d{2})(?!\d)"
)
_SSN_SHAPE = re.compile(r"\d{3}([- ])\d{2}\1\d{4}")
_CARD_SHAPE = re.compile(r"\d{13,19}|\d{4}(?:([ \-])\d{3,6})(?:\1\d{1,6}){1,3}")
_CN_ID_SHAPE = re.compile(r"\d{17}[\dXx]")
_IPV4 = re.compile(r"(?<![0-9A-Za-z_.])(?:\d{1,3}\.){3}\d{1,3}(?![0-9A-Za-z_]|\.\d)")
_IPV6 = re.compile(
    r"(?<![0-9A-Za-z_:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|:|(?:\d{1,3}\.){3}\d{1,3})(?![0-9A-Za-z_:])"
)
_IBAN = re.compile(_EDGE + r"[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}" + _END)
_US_ADDRESS = re.compile(
    _EDGE + r"\d{1,6}[A-Z]?(?: [A-Z][A-Za-z'.\-]*){1,4} (?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln"
    r"|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Ter|Circle|Cir|Parkway|Pkwy|Highway|Hwy|Square|Sq|Trail|Trl"
    r"|Village|Valley|Heights|Crescent|Close|Gardens|Grove|Mews|Row|Walk|Hill|Park|Ridge|Point|Plaza|Crossing"
    r"|Loop|Pass|Path|Pike|Run|View|Station|Center|Centre|Green|Landing|Meadows?|Mill|Springs?|Creek|Estates?"
    r"|Fields?|Forest|Glen|Harbor|Haven|Island|Junction|Lakes?|Manor|Orchard|Ranch|Route|Shore|Summit|Turnpike"
    r"|Vista|Ville|Wells?|Ways|Burg|Bypass|Camp|Cliffs?|Common|Corners?|Cove|Dale|Dam|Divide|Expressway|Falls"
    r"|Ferry|Flats?|Ford|Fork|Fort|Freeway|Gateway|Hollow|Inlet|Isle|Key|Knolls?|Lodge|Mall|Mission|Mount"
    r"|Mountain|Oval|Pines|Plains?|Port|Radial|Rest|Ridges|River|Shoals?|Skyway|Spur|Stream|Streets|Throughway"
    r"|Trace|Track|Tunnel|Union|Unions|Via|Viaduct|Views|Villages?|Wall)\.?(?:,| (?:Apt|Suite|Unit)\b|$)",
)
_EU_ADDRESS = re.compile(
    r"(?<=[A-Za-zäöüß\-])(?i:straße|strasse|str\.|weg|allee|platz|gasse|damm|ufer|chaussee) \d{1,4}[a-z]?"
    + _END
    + r"|"
    + _EDGE
    + r"\d{1,4}(?: bis| ter)?,? (?i:rue|avenue|boulevard|bd|chemin|place|impasse|allée|quai|route"
    r"|cours|square|passage|avenida|calle|via|viale|piazza) "
)
_EU_WORDS = (
    "str",
    "weg",
    "allee",
    "platz",
    "gasse",
    "damm",
    "ufer",
    "chaussee",
    "rue",
    "avenue",
    "boulevard",
    "bd",
    "chemin",
    "place",
    "impasse",
    "allée",
    "quai",
    "route",
    "cours",
    "square",
    "passage",
    "avenida",
    "calle",
    "via",
    "piazza",
)
_GB_POSTCODE = re.compile(r", [A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}$")
_US_CITY_STATE_ZIP = re.compile(r"(?<=[a-z.]), ([A-Z]{2}) \d{5}(?:-\d{4})?" + _END)
_US_STATES = frozenset(
    re.findall(
        r"[A-Z]{2}",
        "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH "
        "OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY AS GU MP PR VI AA AE AP",
    )
)
_DIGIT = re.compile(r"\d")
_NON_DIGIT = re.compile(r"\D")
_LABEL_WORDS = (
    "name",
    "dob",
    "d.o.b",
    "born",
    "birth",
    "passport",
    "ssn",
    "social",
    "出生",
    "生日",
    "姓名",
    "联系人",
    "护照",
)
_CN_ADDRESS = re.compile(
    r"[\u4e00-\u9fff]{2,}(?:省|自治区|市)[\u4e00-\u9fffA-Za-z0-9]{0,24}?(?:路|街|大道|巷|弄|胡同|村|号)"
)
_LABELS = re.compile(
    r"(?i:(?P<dob>date of birth|birth ?date|d\.?o\.?b\.?|born(?: on)?|birthday)|(?P<name>full name|name)"
    r"|(?P<passport>passport(?: no\.?| number| #)?)|(?P<ssn>ssn|social security(?: number| no\.?)?))"
    r"\s*[:：#]?\s*|(?P<zh_dob>出生日期|出生|生日)[:：]?\s*|(?P<zh_name>姓名|联系人)[:：]?\s*"
    r"|(?P<zh_passport>护照(?:号码|号)?)[:：]?\s*"
)
_LABELED_EN_NAME = re.compile(r"[A-Z][a-z'\-]+(?: [A-Z][a-z'\-]+){1,2}" + _END)
_LABELED_DATE = re.compile(r"[^\s,;，；。]{6,12}(?: \d{1,2},? \d{4})?")
_LABELED_TOKEN = re.compile(r"[A-Za-z0-9]{6,12}")
_CN_NAME_PREFIX = re.compile(r"[\u4e00-\u9fff·]{2,4}")


class Span(NamedTuple):
    """One validated occurrence: its category and [start, end) offsets in the value."""

    category: Category
    start: int
    end: int


def detect_value(text: str) -> list[Category]:
    """The validated PII categories found in one value, in declaration order, without duplicates.

    Structured categories (email, phone, cards, IBAN, IDs, IPs) are found anywhere in the text; street
    addresses by distinctive shapes; names, birth dates and passports only after a label such as
    `姓名：` or `DOB:` (their bare values are indistinguishable from ordinary words, dates and codes).
    """
    found = {span.category for span in find_spans(text)}
    return sorted(found, key=ORDER.__getitem__)


def find_spans(text: str) -> list[Span]:
    """Every validated occurrence in `text` with its offsets (see `detect_value`)."""
    if not isinstance(text, str) or len(text) < 5:
        return []
    spans: list[Span] = []
    if "@" in text:
        spans.extend(Span(Category.EMAIL, m.start(), m.end()) for m in _EMAIL.finditer(text))
    lowered = text.lower()
    if _DIGIT.search(text):
        spans.extend(_numeric_spans(text))
        spans.extend(_address_spans(text, lowered))
    if any(word in lowered for word in _LABEL_WORDS):
        spans.extend(_labeled_spans(text))
    return spans


def _numeric_spans(text: str) -> list[Span]:
    spans: list[Span] = []
    if text.count(".") >= 3:
        spans.extend(
            Span(Category.IP_ADDRESS, m.start(), m.end())
            for m in _IPV4.finditer(text)
            if validators.ipv4_valid(m.group())
        )
    if text.count(":") >= 2:
        spans.extend(
            Span(Category.IP_ADDRESS, m.start(), m.end())
            for m in _IPV6.finditer(text)
            if validators.ipv6_valid(m.group())
        )
    for match in _IBAN.finditer(text):
        if validators.iban_valid(match.group().replace(" ", "")):
            spans.append(Span(Category.IBAN, match.start(), match.end()))
    for match in _NUMBER.finditer(text):
        category = _classify_number(match.group(1), has_extension=bool(match.group(2)))
        if category is not None:
            spans.append(Span(category, match.start(), match.end()))
    return spans


def _classify_number(candidate: str, *, has_extension: bool) -> Category | None:
    """The cascade for one numeric run: resident ID, SSN, card, then phone; dates and IPs are skipped."""
    if _DATE_INSIDE.search(candidate) or _IPV4.fullmatch(candidate):
        return None
    if _CN_ID_SHAPE.fullmatch(candidate):
        if validators.cn_resident_id_valid(candidate):
            return Category.CN_RESIDENT_ID
        if not candidate[-1].isdigit():
            return None
    digits = _NON_DIGIT.sub("", candidate)
    if not has_extension and _SSN_SHAPE.fullmatch(candidate):
        return Category.US_SSN if validators.us_ssn_valid(digits) else None
    if not has_extension and _CARD_SHAPE.fullmatch(candidate) and validators.payment_card_valid(digits):
        return Category.PAYMENT_CARD
    if candidate[-1] in "Xx":
        return None
    return Category.PHONE if validators.phone_valid(candidate, digits) else None


def _address_spans(text: str, lowered: str) -> list[Span]:
    spans: list[Span] = []
    patterns = [_US_ADDRESS, _CN_ADDRESS, _GB_POSTCODE]
    if any(word in lowered for word in _EU_WORDS):
        patterns.append(_EU_ADDRESS)
    for pattern in patterns:
        match = pattern.search(text)
        if match:
            spans.append(Span(Category.STREET_ADDRESS, match.start(), match.end()))
    for match in _US_CITY_STATE_ZIP.finditer(text):
        if match.group(1) in _US_STATES:
            spans.append(Span(Category.STREET_ADDRESS, match.start(), match.end()))
    return spans


def _labeled_spans(text: str) -> list[Span]:
    spans: list[Span] = []
    for label in _LABELS.finditer(text):
        kind = label.lastgroup or ""
        rest = text[label.end() :]
        span = _labeled_value(kind.removeprefix("zh_"), rest, chinese=kind.startswith("zh_"))
        if span is not None:
            category, length = span
            spans.append(Span(category, label.end(), label.end() + length))
    return spans


def _labeled_value(kind: str, rest: str, *, chinese: bool) -> tuple[Category, int] | None:
    if kind == "dob":
        match = _LABELED_DATE.match(rest)
        if match and birth_date_shape(match.group().rstrip(".")):
            return Category.DATE_OF_BIRTH, match.end()
    elif kind == "name":
        match = _CN_NAME_PREFIX.match(rest) if chinese else _LABELED_EN_NAME.match(rest)
        if match and (not chinese or chinese_name_shape(match.group())):
            return Category.PERSON_NAME, match.end()
    elif kind == "passport":
        match = _LABELED_TOKEN.match(rest)
        if match and passport_shape(match.group()):
            return Category.PASSPORT, match.end()
    elif kind == "ssn":
        match = re.match(r"\d{9}" + _END, rest)
        if match and validators.us_ssn_valid(match.group()):
            return Category.US_SSN, match.end()
    return None


def parse_birth_date(text: str) -> str | None:
    """The ISO date of a birth-date value, or None (used by masking to keep only the year)."""
    day = parse_date(text)
    return day.isoformat() if day else None
