"""Synthetic people for the lab: several locales (zh_CN included), generated lazily and deterministically.

Faker fills small per-locale pools once per seed; each person is then drawn from the pools with a
`random.Random` seeded by (seed, index), so person 41,999 of a 50,000-user lab costs nothing until asked
for, and is the same on every start with that seed. Nothing here is real: Chinese resident ID numbers
carry a valid GB 11643 checksum over random digits, +86 numbers use real mobile prefixes with random digits.
"""

from __future__ import annotations

import random
import zlib
from dataclasses import dataclass
from datetime import date, timedelta

from crmsec.errors import InputError

LAB_EXTRA = "the lab needs the extra: pip install 'crmsec[lab]'"

LOCALES = ("en_US", "en_GB", "de_DE", "fr_FR", "ja_JP", "zh_CN")
_POOL = 60
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CN_REGIONS = ("110101", "310104", "440305", "330106", "510107", "420102")
_CN_MOBILE_PREFIXES = ("133", "135", "138", "139", "150", "158", "177", "186", "189", "199")
COUNTRIES = {
    "en_US": "United States",
    "en_GB": "United Kingdom",
    "de_DE": "Germany",
    "fr_FR": "France",
    "ja_JP": "Japan",
    "zh_CN": "China",
}
_CALLING_CODES = {"en_US": "+1", "en_GB": "+44", "de_DE": "+49", "fr_FR": "+33", "ja_JP": "+81", "zh_CN": "+86"}


@dataclass(frozen=True, slots=True)
class Person:
    """One synthetic person."""

    locale: str
    first_name: str
    last_name: str
    email: str
    phone: str
    mobile: str
    company: str
    city: str
    country: str
    birthdate: date
    national_id: str | None

    @property
    def name(self) -> str:
        """The display name in the locale's order."""
        if self.locale in ("zh_CN", "ja_JP"):
            return f"{self.last_name}{self.first_name}"
        return f"{self.first_name} {self.last_name}"


class People:
    """Person number `index` for a given seed, generated on demand."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self._pools = {locale: _pool(locale, seed) for locale in LOCALES}

    def person(self, index: int, *, kind: str = "contact") -> Person:
        """The person at `index` in the `kind` stream (users and contacts are different people)."""
        rng = random.Random(f"{self.seed}:{kind}:{index}")
        locale = LOCALES[rng.randrange(len(LOCALES))]
        pool = self._pools[locale]
        first, last = rng.choice(pool.first_names), rng.choice(pool.last_names)
        birthdate = date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 50))
        national_id = cn_resident_id(rng, birthdate) if locale == "zh_CN" else None
        return Person(
            locale=locale,
            first_name=first,
            last_name=last,
            email=f"{_ascii(first)}.{_ascii(last)}{index}@{rng.choice(pool.domains)}",
            phone=_phone(rng, locale),
            mobile=cn_mobile(rng) if locale == "zh_CN" else _phone(rng, locale),
            company=rng.choice(pool.companies),
            city=rng.choice(pool.cities),
            country=COUNTRIES[locale],
            birthdate=birthdate,
            national_id=national_id,
        )


@dataclass(frozen=True, slots=True)
class _Pool:
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    companies: tuple[str, ...]
    cities: tuple[str, ...]
    domains: tuple[str, ...]


def require_faker() -> None:
    """Raise InputError (exit 2, one line) when Faker, the lab's only extra dependency, is not installed.

    Faker is imported here and in `_pool` only, so scanning a real org never needs it.
    """
    try:
        import faker  # noqa: F401 -- probe only
    except ImportError as error:
        raise InputError(LAB_EXTRA, hint="install the lab extra, or scan a real org instead") from error


def _pool(locale: str, seed: int) -> _Pool:
    require_faker()
    from faker import Faker

    faker = Faker(locale)
    faker.seed_instance(seed)
    return _Pool(
        first_names=tuple(faker.first_name() for _ in range(_POOL)),
        last_names=tuple(faker.last_name() for _ in range(_POOL)),
        companies=tuple(faker.company() for _ in range(_POOL // 3)),
        cities=tuple(faker.city() for _ in range(_POOL // 3)),
        domains=("example.com", "example.org", "example.net", "mail.example.test"),
    )


def _ascii(text: str) -> str:
    kept = "".join(char for char in text.lower() if char.isascii() and char.isalnum())
    return kept or f"p{zlib.crc32(text.encode('utf-8')):08x}"


def _phone(rng: random.Random, locale: str) -> str:
    """A number of the length the country uses (France: 9 national digits, the others here: 10)."""
    if locale == "fr_FR":
        digits = f"{rng.randrange(10**8):08d}"
        return f"+33 {rng.randrange(1, 8)} {digits[:2]} {digits[2:4]} {digits[4:6]} {digits[6:]}"
    digits = f"{rng.randrange(10**9):09d}"
    return f"{_CALLING_CODES[locale]} {rng.randrange(2, 9)}{digits[:2]} {digits[2:5]} {digits[5:]}"


def cn_mobile(rng: random.Random) -> str:
    """A +86 mobile number with a real carrier prefix and random subscriber digits."""
    digits = f"{rng.randrange(10**8):08d}"
    return f"+86 {rng.choice(_CN_MOBILE_PREFIXES)} {digits[:4]} {digits[4:]}"


def cn_resident_id(rng: random.Random, birthdate: date) -> str:
    """An 18-character PRC resident ID number with a valid GB 11643-1999 check character."""
    body = f"{rng.choice(_CN_REGIONS)}{birthdate:%Y%m%d}{rng.randrange(1000):03d}"
    total = sum(int(digit) * weight for digit, weight in zip(body, _ID_WEIGHTS, strict=True))
    return body + "10X98765432"[total % 11]
