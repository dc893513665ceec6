"""RFC 8785 canonical JSON bytes and their sha256: one definition for evidence, reports and signing.

The `rfc8785` package implements the JSON Canonicalization Scheme (number formatting included), which we
would otherwise write and test by hand. It is pure Python, and evidence values can be large (50,000 users),
so values without floats take a fast path through the standard library's C encoder: for such values the
two serialisations agree byte for byte (property-tested in tests/test_canonical.py) as long as no object
key holds a character outside the Basic Multilingual Plane (RFC 8785 sorts keys by UTF-16 code units,
Python by code points). Anything else goes through `rfc8785`.

A string holding a lone surrogate (`"\\udc80"` parsed from JSON) is not Unicode and has no canonical form:
neither path accepts it, and `canonical_bytes` raises ValueError. Data from a CRM is cleaned where it
enters (`connectors.exchange.without_lone_surrogates` turns them into U+FFFD); files a user hands us are
refused as input errors.
"""

from __future__ import annotations

import hashlib
import json
import math
from typing import Any

import rfc8785

SAFE_INTEGER = 2**53 - 1
_FAST = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True, allow_nan=False)


def canonical_bytes(value: Any) -> bytes:
    """The RFC 8785 bytes of a JSON value; raises ValueError on NaN/Infinity or non-JSON types.

    RFC 8785 serialises numbers as IEEE 754 doubles, so integers beyond 2**53 - 1 would lose digits:
    they are hashed as their decimal strings instead (the same rule on both sides of a verification).
    """
    prepared, simple = _prepare(value)
    if simple:
        try:
            return _FAST.encode(prepared).encode("utf-8")
        except UnicodeEncodeError as error:
            # A lone surrogate: rfc8785 refuses it too ("non-UTF-8 codepoints"), so say so plainly here.
            raise ValueError("value cannot be canonicalized: a string holds a lone surrogate (not Unicode)") from error
    try:
        return rfc8785.dumps(prepared)
    except rfc8785.CanonicalizationError as error:
        raise ValueError(f"value cannot be canonicalized: {error}") from error


def sha256_hex(data: bytes) -> str:
    """The lower-case hex sha256 of bytes."""
    return hashlib.sha256(data).hexdigest()


def digest(value: Any) -> str:
    """The sha256 (hex) of the canonical bytes of a JSON value."""
    return sha256_hex(canonical_bytes(value))


def _prepare(value: Any) -> tuple[Any, bool]:
    """(value with unsafe integers as strings, whether the fast path gives RFC 8785 bytes).

    Refuses NaN and Infinity. One read-only pass; containers are copied only when an integer must change.
    """
    simple, unsafe = True, False
    stack = [value]
    pop, extend = stack.pop, stack.extend
    while stack:
        item = pop()
        kind = type(item)
        if kind is dict:
            extend(item.values())
            if simple:
                for key in item:
                    if type(key) is not str or (not key.isascii() and max(key) > "\uffff"):
                        simple = False
                        break
        elif kind is list or kind is tuple:
            extend(item)
        elif kind is float:
            if not math.isfinite(item):
                raise ValueError("NaN and Infinity are not JSON")
            simple = False
        elif kind is int and abs(item) > SAFE_INTEGER:
            unsafe = True
    return (_safe_integers(value) if unsafe else value), simple


def _safe_integers(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and abs(value) > SAFE_INTEGER:
        return str(value)
    if isinstance(value, dict):
        return {key: _safe_integers(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_safe_integers(item) for item in value]
    return value
