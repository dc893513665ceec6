"""Deterministic shards: which targets the I-th of N workers scans.

Targets are ordered by the sha256 of their name (not by their place in the file), then dealt round-robin:
shard I of N takes positions I, I+N, I+2N, ... So the slices are disjoint, together cover the fleet, differ
in size by at most one, and do not change when the targets file is reordered. Shards count from 0, like
Kubernetes' JOB_COMPLETION_INDEX, so `--shard "$JOB_COMPLETION_INDEX/4"` works as it is.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from crmsec.errors import InputError

MAX_SHARDS = 10_000
_SHARD = re.compile(r"^\s*(\d{1,6})\s*/\s*(\d{1,6})\s*$")

Named = TypeVar("Named")


@dataclass(frozen=True, slots=True)
class Shard:
    """Slice `index` (0-based) of `count`."""

    index: int
    count: int

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


ALL = Shard(0, 1)
"""The whole fleet as one shard."""


def parse_shard(text: str) -> Shard:
    """`I/N` with 0 <= I < N <= 10000; anything else is an InputError naming --shard."""
    match = _SHARD.match(text)
    if match is None:
        raise InputError(f"--shard {text!r}: expected I/N, e.g. 0/4 (shards count from 0)")
    index, count = int(match.group(1)), int(match.group(2))
    if not 1 <= count <= MAX_SHARDS:
        raise InputError(f"--shard {text!r}: N must be between 1 and {MAX_SHARDS}")
    if index >= count:
        raise InputError(f"--shard {text!r}: I must be between 0 and {count - 1} (shards count from 0)")
    return Shard(index, count)


def name_hash(name: str) -> str:
    """The stable order key of a target: hex sha256 of its UTF-8 name."""
    return hashlib.sha256(name.encode("utf-8")).hexdigest()


def shard_of(names: Sequence[str], name: str, count: int) -> int:
    """Which of `count` shards scans `name` among `names`."""
    ordered = sorted(names, key=lambda item: (name_hash(item), item))
    return ordered.index(name) % count


def select(items: Sequence[Named], shard: Shard, *, name: str = "name") -> list[Named]:
    """The items of `shard`, in name order; `name` is the attribute that holds each item's unique name."""
    ordered = sorted(items, key=lambda item: (name_hash(getattr(item, name)), getattr(item, name)))
    chosen = [item for position, item in enumerate(ordered) if position % shard.count == shard.index]
    return sorted(chosen, key=lambda item: getattr(item, name))
