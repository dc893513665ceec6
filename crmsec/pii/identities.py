"""Pseudonymise account identifiers (usernames, credential owners) so findings stay actionable but unnamed.

`mask_identity("john.smith@acme.com")` gives `j***@a***.com#5df387fd`: the shape of `mask()` plus a suffix of
8 hex digits of the sha256 of the lower-cased value. Why that design:

- Deterministic: the same username masks to the same text in every evidence key, run and report, so checks
  can still join on it, finding fingerprints stay stable, and diffs between reports match the same user.
- Distinct: two users that share a masked shape (`j***@a***.com`) still differ by their suffix (32 bits; a
  collision needs two such users and odds of about one in four billion per pair).
- Actionable for role accounts: local-part words from `ROLE_WORDS` (admin, sales, noreply, ...) name a job,
  not a person, and are kept (`admin.j***@a***.com#...`), so the generic-account check still works on
  masked evidence.

Trade-off, documented in SECURITY.md: the suffix is an unkeyed hash, so whoever holds a masked report and a
candidate address can confirm the guess. Masked reports are pseudonymous, not anonymous; treat them as
personal data of low sensitivity. Pure functions, no I/O.
"""

from __future__ import annotations

import hashlib
import re

SUFFIX_LENGTH = 8
ROLE_WORDS = frozenset(
    {
        "admin", "administrator", "test", "tester", "shared", "service", "info", "sales", "support", "temp",
        "generic", "noreply", "demo", "training", "guest", "office", "team", "user", "account", "crm", "the",
        "system", "integration", "api", "sync", "bot", "automation", "marketing", "billing", "finance", "hr",
        "helpdesk", "contact", "hello", "webmaster", "postmaster", "security", "site", "portal", "public",
        "default", "root", "ops", "qa", "prod", "sandbox", "backup", "batch", "svc", "srv",
        "公共", "测试", "临时", "管理员", "系统", "客服", "销售",
    }
)  # fmt: skip
"""Words that name a role, not a person: kept in a masked local part (a superset of CRM-AC-006's word list)."""

_SEPARATOR = re.compile(r"([._\-+\s]+)")
_DOMAIN = re.compile(r"([^\s@]+)\.([A-Za-z]{2,24})")
_SUFFIX = re.compile(rf"#[0-9a-f]{{{SUFFIX_LENGTH}}}")
_NON_ASCII_ROLE_WORDS = tuple(sorted((word for word in ROLE_WORDS if not word.isascii()), key=len, reverse=True))


def mask_identity(value: str) -> str:
    """`j***@a***.com#5df387fd` for `John.Smith@acme.com`: masked shape plus a stable 8-hex suffix.

    Idempotent (a masked identity is returned unchanged), and empty text stays empty. Role words of the
    local part survive (`admin@a***.com#...`); every other word keeps its first character only.
    """
    text = value.strip()
    if not text:
        return ""
    if is_masked_identity(text):
        return text
    lowered = text.lower()  # usernames and e-mail addresses compare case-insensitively
    digest = hashlib.sha256(lowered.encode("utf-8")).hexdigest()[:SUFFIX_LENGTH]
    return f"{_mask_stem(lowered)}#{digest}"


def is_masked_identity(text: str) -> bool:
    """True when `text` is already the output of `mask_identity` (a masked stem and the hex suffix)."""
    if len(text) <= SUFFIX_LENGTH + 1 or not _SUFFIX.fullmatch(text[-SUFFIX_LENGTH - 1 :]):
        return False
    stem = text[: -SUFFIX_LENGTH - 1]
    return bool(stem) and _mask_stem(stem) == stem


def _mask_stem(text: str) -> str:
    local, at, domain = text.rpartition("@") if "@" in text else (text, "", "")
    return _mask_local(local) + (at + _mask_domain(domain) if at else "")


def _mask_local(local: str) -> str:
    pieces = _SEPARATOR.split(local)
    words = pieces[0::2]
    if not any(_role_word(word) for word in words):
        return _masked_word(local)
    return "".join(piece if index % 2 else _masked_word(piece) for index, piece in enumerate(pieces))


def _role_word(word: str) -> str | None:
    """The role word `word` is (digits ignored), or the non-Latin role word it contains, else None."""
    plain = re.sub(r"\d+", "", word).lower()
    if plain in ROLE_WORDS:
        return word
    return next((role for role in _NON_ASCII_ROLE_WORDS if role in word), None)


def _masked_word(word: str) -> str:
    if not word:
        return word
    role = _role_word(word)
    if role == word:
        return word
    return f"{role}***" if role is not None else f"{word[0]}***"


def _mask_domain(domain: str) -> str:
    match = _DOMAIN.fullmatch(domain)
    if match is None:
        return _masked_word(domain)
    return f"{match.group(1)[0]}***.{match.group(2)}"
