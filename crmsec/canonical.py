"""RFC 8785 canonical JSON bytes and their sha256: one definition for evidence, reports and signing.

The `rfc8785` package implements the JSON Canonicalization Scheme (number formatting included), which we
would otherwise write and test by hand.
"""

from __future__ import annotations

import hashlib
import math
from typing import Any

import rfc8785

SAFE_INTEGER = 2**53 - 1


def canonical_bytes(value: Any) -> bytes:
    """The RFC 8785 bytes of a JSON value; raises ValueError on NaN/Infinity or non-JSON types.

    RFC 8785 serialises numbers as IEEE 754 doubles, so integers beyond 2**53 - 1 would lose digits:
    they are hashed as their decimal strings instead (the same rule on both sides of a verification).
    """
    _refuse_non_finite(value)
    try:
        return rfc8785.dumps(_safe_integers(value))
    except rfc8785.CanonicalizationError as error:
        raise ValueError(f"value cannot be canonicalized: {error}") from error


def sha256_hex(data: bytes) -> str:
    """The lower-case hex sha256 of bytes."""
    return hashlib.sha256(data).hexdigest()


def digest(value: Any) -> str:
    """The sha256 (hex) of the canonical bytes of a JSON value."""
    return sha256_hex(canonical_bytes(value))


def _refuse_non_finite(value: Any) -> None:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, float) and not math.isfinite(item):
            raise ValueError("NaN and Infinity are not JSON")
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)


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
