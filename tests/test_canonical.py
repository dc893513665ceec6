"""The fast path of canonical_bytes agrees with the rfc8785 reference implementation."""

from __future__ import annotations

import pytest
import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from crmsec.canonical import canonical_bytes, digest

text = st.text(alphabet=st.characters(codec="utf-8"), max_size=12) | st.sampled_from(
    ["", "é", "張三", "\u2028", "\x00\x1f", '"\\', "\ue000", "\U0001f600", "a\tb\n"]
)
scalars = st.none() | st.booleans() | st.integers(-(2**60), 2**60) | text
values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=5) | st.dictionaries(text, children, max_size=5),
    max_leaves=30,
)


def _reference(value: object) -> bytes:
    def safe(item: object) -> object:
        if isinstance(item, bool) or item is None or isinstance(item, str | float):
            return item
        if isinstance(item, int):
            return str(item) if abs(item) > 2**53 - 1 else item
        if isinstance(item, dict):
            return {key: safe(child) for key, child in item.items()}
        return [safe(child) for child in item]  # type: ignore[union-attr]

    return rfc8785.dumps(safe(value))


@settings(max_examples=500)
@given(values)
def test_fast_path_matches_rfc8785(value: object) -> None:
    assert canonical_bytes(value) == _reference(value)


@given(st.dictionaries(text, st.floats(allow_nan=False, allow_infinity=False) | st.integers(), max_size=6))
def test_values_with_floats_match_rfc8785(value: dict) -> None:
    assert canonical_bytes(value) == _reference(value)


def test_supplementary_keys_sort_by_utf16() -> None:
    value = {"\U0001f600": 1, "\ue000": 2}
    assert canonical_bytes(value) == rfc8785.dumps(value)
    encoded = canonical_bytes(value)
    assert encoded.index("\U0001f600".encode()) < encoded.index("\ue000".encode())  # D83D < E000


@pytest.mark.parametrize("bad", [float("nan"), {"a": [float("inf")]}])
def test_non_finite_numbers_are_refused(bad: object) -> None:
    with pytest.raises(ValueError, match="NaN"):
        canonical_bytes(bad)


def test_large_integers_hash_as_strings() -> None:
    assert digest({"n": 2**60}) == digest({"n": str(2**60)})
