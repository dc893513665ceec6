"""Small conversions of Salesforce values: dotted field access, timestamps, booleans and numbers."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any


def nested(record: Mapping[str, Any] | None, dotted: str) -> Any:
    """`record["Profile"]["Name"]` for `Profile.Name`; None when any step is missing."""
    value: Any = record
    for part in dotted.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def parse_time(value: Any) -> datetime | None:
    """A Salesforce timestamp (`2026-01-01T08:00:00.000+0000`) or date as an aware datetime; else None."""
    if not isinstance(value, str) or not value:
        return None
    text = value.replace("Z", "+00:00")
    if len(text) > 5 and text[-5] in "+-" and text[-3] != ":":
        text = f"{text[:-2]}:{text[-2:]}"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def iso(value: Any) -> str | None:
    """An RFC 3339 UTC string (`...Z`) for a Salesforce timestamp, or None."""
    moment = parse_time(value)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None


def to_int(value: Any) -> int | None:
    """An integer from a number or numeric string, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


def to_bool(value: Any) -> bool | None:
    """A boolean from a boolean or `true`/`false`/`Enabled`/`Disabled`, else None."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in ("true", "enabled", "on", "yes"):
            return True
        if lowered in ("false", "disabled", "off", "no"):
            return False
    return None


def days_between(earlier: datetime | None, later: datetime) -> int | None:
    """Whole days from `earlier` to `later`, or None."""
    return None if earlier is None else (later - earlier).days
