"""RFC 8785 canonical JSON bytes and their sha256: one definition for evidence, reports and signing.

The `rfc8785` package implements the JSON Canonicalization Scheme (number formatting included), which we
would otherwise write and test by hand.
"""

from __future__ import annotations

import hashlib
import math
from typing import Any

import rfc8785


def canonical_bytes(value: Any) -> bytes:
    """The RFC 8785 bytes of a JSON value; raises ValueError on NaN/Infinity or non-JSON types."""
    _refuse_non_finite(value)
    try:
        return rfc8785.dumps(value)
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
