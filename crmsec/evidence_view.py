"""The read-only view of evidence a check receives, and typed field access (part of the check API).

Re-exported by `crmsec.plugin`; check authors import from there.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from crmsec.errors import EvidenceError
from crmsec.vocabulary import JsonValue


class Evidence:
    """A read-only view of the evidence keys a check declared, with typed accessors.

    Reading an undeclared key raises `EvidenceError`, so a check's `requires`/`optional` stay honest.
    Keys in `optional` that were not collected read as absent (`has` is False, `get` gives the default).
    """

    __slots__ = ("_allowed", "_times", "_values")

    def __init__(
        self, values: Mapping[str, JsonValue], allowed: Iterable[str], times: Mapping[str, str] | None = None
    ) -> None:
        self._values = dict(values)
        self._allowed = frozenset(allowed)
        self._times = dict(times or {})

    def collected_at(self, key: str) -> datetime:
        """When `key` was collected (UTC): the "now" against which checks measure ages, so they stay pure."""
        self._read(key)
        stamp = self._times.get(key)
        if stamp is None:
            raise EvidenceError(f"{key} has no collection time")
        return datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)

    def timestamp(self, key: str, value: JsonValue) -> datetime | None:
        """Parse an RFC 3339 timestamp found in evidence `key` (None stays None); EvidenceError if malformed."""
        if value is None:
            return None
        if not isinstance(value, str):
            raise EvidenceError(f"{key}: expected a timestamp string, got {type(value).__name__}")
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError as error:
            raise EvidenceError(f"{key}: {value!r} is not an RFC 3339 timestamp") from error
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)

    def _read(self, key: str) -> JsonValue:
        if key not in self._allowed:
            raise EvidenceError(f"the check read {key}, which it did not declare in requires/optional")
        if key not in self._values:
            raise EvidenceError(f"{key} was not collected")
        return self._values[key]

    def has(self, key: str) -> bool:
        """True when the declared key was collected without error."""
        return key in self._allowed and key in self._values

    def get(self, key: str, default: JsonValue = None) -> JsonValue:
        """The value of an optional key, or `default` when it was not collected."""
        return self._read(key) if self.has(key) else default

    def value(self, key: str) -> JsonValue:
        """The raw JSON value of a declared key."""
        return self._read(key)

    def mapping(self, key: str) -> dict[str, JsonValue]:
        """The value of `key`, which must be a JSON object."""
        value = self._read(key)
        if not isinstance(value, dict):
            raise EvidenceError(f"{key} should be an object, got {type(value).__name__}")
        return value

    def records(self, key: str) -> list[dict[str, JsonValue]]:
        """The value of `key`, which must be a list of JSON objects."""
        value = self._read(key)
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            raise EvidenceError(f"{key} should be a list of objects")
        return value


def field_of(record: Mapping[str, JsonValue], name: str, kind: type | tuple[type, ...], *, key: str) -> Any:
    """`record[name]` checked against `kind`; raises `EvidenceError` naming the evidence key otherwise."""
    value = record.get(name)
    if isinstance(value, bool) and kind in (int, float, (int, float)):
        raise EvidenceError(f"{key}: {name} should be a number, got a boolean")
    if not isinstance(value, kind):
        raise EvidenceError(f"{key}: {name} is missing or has the wrong type")
    return value
