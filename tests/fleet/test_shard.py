"""Shards: disjoint, complete, balanced, and independent of the order of the targets file."""

from __future__ import annotations

import random
from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmsec.errors import InputError
from crmsec.fleet.shard import Shard, parse_shard, select, shard_of


@dataclass(frozen=True)
class Item:
    name: str


@pytest.mark.parametrize(("text", "expected"), [("0/4", Shard(0, 4)), ("3/4", Shard(3, 4)), (" 0 / 1 ", Shard(0, 1))])
def test_parse_shard(text: str, expected: Shard) -> None:
    assert parse_shard(text) == expected


@pytest.mark.parametrize("text", ["4/4", "1/0", "-1/4", "a/b", "1", "1/4/2", "0/10001", ""])
def test_bad_shards_are_input_errors_naming_the_flag(text: str) -> None:
    with pytest.raises(InputError, match="--shard"):
        parse_shard(text)


NAMES = st.lists(st.from_regex(r"[a-z0-9][a-z0-9._-]{0,20}", fullmatch=True), min_size=1, max_size=60, unique=True)


@given(names=NAMES, count=st.integers(min_value=1, max_value=9), seed=st.integers(0, 1000))
def test_shards_partition_the_fleet_evenly_whatever_the_file_order(names: list[str], count: int, seed: int) -> None:
    items = [Item(name) for name in names]
    shuffled = list(items)
    random.Random(seed).shuffle(shuffled)
    slices = [select(items, Shard(index, count)) for index in range(count)]
    assert slices == [select(shuffled, Shard(index, count)) for index in range(count)]
    chosen = [item.name for part in slices for item in part]
    assert sorted(chosen) == sorted(names)  # complete and disjoint
    sizes = [len(part) for part in slices]
    assert max(sizes) - min(sizes) <= 1
    for index, part in enumerate(slices):
        assert [item.name for item in part] == sorted(item.name for item in part)
        assert all(shard_of(names, item.name, count) == index for item in part)


def test_the_assignment_is_pinned() -> None:
    """A change to the hash or the dealing would move orgs between CI jobs: it must be deliberate."""
    names = [f"org-{index:03d}" for index in range(8)]
    assert [[item.name for item in select([Item(n) for n in names], Shard(i, 3))] for i in range(3)] == PINNED


PINNED = [["org-001", "org-003", "org-004"], ["org-000", "org-002", "org-006"], ["org-005", "org-007"]]
