"""Weak value shapes: dates, person names, street addresses and passport numbers.

These shapes say "this could be a name / a birth date / an address", which is not enough on its own
(`Closed Won` looks like a name, every order date looks like a birth date). The column classifier counts
them only when the field name already hints at the category; `detect_value` uses the strict address shapes
and label-anchored forms (`姓名：张伟`, `DOB: 1980-02-01`) only.
"""

from __future__ import annotations

import datetime as dt
import re

_HAN = "\u3400-\u4dbf\u4e00-\u9fff"
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january", "janvier", "januar"),
            ("feb", "february", "février", "fevrier", "februar"),
            ("mar", "march", "mars", "märz", "maerz"),
            ("apr", "april", "avril"),
            ("may", "mai"),
            ("jun", "june", "juin", "juni"),
            ("jul", "july", "juillet", "juli"),
            ("aug", "august", "août", "aout"),
            ("sep", "sept", "september", "septembre"),
            ("oct", "october", "octobre", "oktober"),
            ("nov", "november", "novembre"),
            ("dec", "december", "décembre", "decembre", "dezember"),
        ),
        start=1,
    )
    for name in names
}
_YMD = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_DMY = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_DAY_MONTH_NAME = re.compile(r"(\d{1,2})\.?\s+([^\W\d_]{3,9})\.?,?\s+(\d{4})")
_MONTH_NAME_DAY = re.compile(r"([^\W\d_]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})")

# Common single-character surnames (Bai Jia Xing order is irrelevant here) and compound surnames.
_CN_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范"
    "金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄"
    "聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶"
    "解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇"
    "桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠"
    "豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸"
    "战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由"
    "赖傅洪萧蓬郦阎"
)
_CN_COMPOUND_SURNAMES = frozenset(
    (
        "欧阳",
        "司马",
        "上官",
        "诸葛",
        "东方",
        "皇甫",
        "尉迟",
        "公孙",
        "慕容",
        "长孙",
        "宇文",
        "司徒",
        "夏侯",
        "令狐",
        "端木",
    )
)
_TITLES = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "miss",
        "mx",
        "dr",
        "prof",
        "sir",
        "dame",
        "herr",
        "frau",
        "m",
        "mme",
        "mlle",
        "dipl.-ing",
        "ing",
        "univ.prof",
        "prof.dr",
        "dr.-ing",
        "dipl.-kfm",
    ]
)
_SUFFIXES = frozenset(
    [
        "jr",
        "sr",
        "ii",
        "iii",
        "iv",
        "md",
        "phd",
        "dds",
        "dvm",
        "esq",
        "cpa",
        "mba",
        "b.a",
        "b.sc",
        "m.a",
        "m.sc",
        "ba",
        "bsc",
        "msc",
        "ll.m",
        "llm",
        "b.eng",
    ]
)
_PARTICLES = frozenset(
    ["von", "van", "de", "der", "den", "du", "le", "la", "di", "da", "dos", "del", "zu", "vom", "des"]
)
_TIME_PART = re.compile(r"\d{1,2}:\d{2}")
_ADDRESS_HAN = re.compile(f"[{_HAN}]*(?:省|市|区|县|镇|乡|村|路|街|道|巷|弄|号|座|栋|室|楼|大厦|小区)")
_PASSPORT = re.compile(r"[A-Z]{1,2}\d{6,9}|\d{8,9}|\d{2}[A-Z]{2}\d{5}|[CFGHJKLMNPRTVWXYZ][CFGHJKLMNPRTVWXYZ0-9]{8}")


def parse_date(text: str) -> dt.date | None:
    """The calendar date a short text spells (ISO, Chinese, D.M.Y / M/D/Y, month names, YYYYMMDD), or None.

    Day/month order is ambiguous in `03/04/1985`; either reading that is a real date is accepted, since
    the question here is only whether the text is a date.
    """
    text = text.strip()
    for pattern, order in ((_YMD, "ymd"), (_DMY, "dmy"), (_COMPACT, "ymd")):
        match = pattern.fullmatch(text)
        if match:
            first, second, third = (int(group) for group in match.groups())
            if order == "ymd":
                return _date(first, second, third)
            return _date(third, second, first) or _date(third, first, second)
    return _parse_month_name(text)


def _parse_month_name(text: str) -> dt.date | None:
    match = _DAY_MONTH_NAME.fullmatch(text)
    if match:
        month = _MONTHS.get(match.group(2).lower())
        return _date(int(match.group(3)), month, int(match.group(1))) if month else None
    match = _MONTH_NAME_DAY.fullmatch(text)
    if match:
        month = _MONTHS.get(match.group(1).lower())
        return _date(int(match.group(3)), month, int(match.group(2))) if month else None
    return None


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def birth_date_shape(text: str) -> bool:
    """A whole value that is a date (no time of day) between 1900 and today."""
    if len(text) > 40 or _TIME_PART.search(text):
        return False
    day = parse_date(text)
    return day is not None and dt.date(1900, 1, 1) <= day <= dt.datetime.now(dt.UTC).date()


def chinese_name_shape(text: str) -> bool:
    """2-4 Han characters starting with a common (or compound) surname."""
    if not 2 <= len(text) <= 4 or not all("\u4e00" <= char <= "\u9fff" or char == "·" for char in text):
        return False
    if text[:2] in _CN_COMPOUND_SURNAMES:
        return len(text) >= 3
    return text[0] in _CN_SURNAMES and len(text) <= 3


def person_name_shape(text: str) -> bool:
    """A Chinese name, or 1-4 capitalised name tokens with optional titles, particles and suffixes."""
    text = text.strip()
    if not text or len(text) > 60:
        return False
    if chinese_name_shape(text):
        return True
    tokens = text.replace(",", " ").split()
    while tokens and tokens[0].lower().rstrip(".") in _TITLES:
        tokens = tokens[1:]
    while tokens and tokens[-1].lower().rstrip(".") in _SUFFIXES:
        tokens = tokens[:-1]
    names = [token for token in tokens if token not in _PARTICLES]
    if not 1 <= len(names) <= 4 or len(tokens) > 7:
        return False
    return tokens[-1] in names and all(_name_token(token) for token in names)


def _name_token(token: str) -> bool:
    if not token[0].isupper() or not token[0].isalpha():
        return False
    return (all(char.isalpha() or char in "'’-." for char in token) and not token.isupper()) or len(token) <= 2


def address_shape(text: str) -> bool:
    """A loose street-address shape: Han address units, or letters with a house number."""
    text = text.strip()
    if len(text) < 6 or len(text) > 200:
        return False
    if _ADDRESS_HAN.search(text):
        return True
    has_digit = any(char.isdigit() for char in text)
    letters = sum(char.isalpha() for char in text)
    return has_digit and letters >= 4 and ("@" not in text)


def passport_shape(text: str) -> bool:
    """Common passport-number shapes (CN, US, GB, DE, FR and similar)."""
    return _PASSPORT.fullmatch(text.strip().upper()) is not None
