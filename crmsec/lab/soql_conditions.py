"""Conditions of the lab's SOQL evaluator: comparisons, LIKE, date ranges and field paths over records.

`crmsec.lab.soql` parses a query into predicates built from these helpers; nothing here parses text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

Record = dict[str, Any]


@dataclass(frozen=True, slots=True)
class DateRange:
    """A relative date literal: [start, end)."""

    start: datetime
    end: datetime


def start_of_day(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UTC)


def either(left: Callable[[Record], bool], right: Callable[[Record], bool]) -> Callable[[Record], bool]:
    return lambda record: left(record) or right(record)


def both(left: Callable[[Record], bool], right: Callable[[Record], bool]) -> Callable[[Record], bool]:
    return lambda record: left(record) and right(record)


def like_pattern(value: Any) -> re.Pattern[str]:
    text = str(value)
    regex = "".join(".*" if char == "%" else "." if char == "_" else re.escape(char) for char in text)
    return re.compile(regex, re.IGNORECASE | re.DOTALL)


def field_value(record: Record | None, path: tuple[str, ...]) -> Any:
    value: Any = record
    for segment in path:
        if not isinstance(value, dict):
            return None
        value = value.get(segment)
    return value


def folded(value: Any) -> Any:
    """Strings compare case-insensitively in SOQL (`=`, `IN`), as in Salesforce."""
    return value.lower() if isinstance(value, str) else value


def _comparable(value: Any, literal: Any) -> tuple[Any, Any]:
    if isinstance(literal, date) and not isinstance(literal, datetime) and isinstance(value, datetime):
        return value.date(), literal
    if isinstance(value, str) and isinstance(literal, str):
        return value.lower(), literal.lower()
    return value, literal


def compare(path: tuple[str, ...], operator: str, literal: Any) -> Callable[[Record], bool]:
    def test(record: Record) -> bool:
        value = field_value(record, path)
        if isinstance(literal, DateRange):
            return _in_range(value, operator, literal)
        if operator in ("=", "!=", "<>"):
            left, right = _comparable(value, literal)
            return bool(left == right) == (operator == "=")
        if value is None or literal is None:
            return False
        left, right = _comparable(value, literal)
        try:
            return bool(_ORDERINGS[operator](left, right))
        except TypeError:
            return False

    return test


_ORDERINGS: dict[str, Callable[[Any, Any], bool]] = {
    "<": lambda left, right: left < right,
    "<=": lambda left, right: left <= right,
    ">": lambda left, right: left > right,
    ">=": lambda left, right: left >= right,
}


def _in_range(value: Any, operator: str, span: DateRange) -> bool:
    if not isinstance(value, datetime):
        return operator in ("!=", "<>") and value is None
    inside = span.start <= value < span.end
    checks = {
        "=": inside,
        "!=": not inside,
        "<>": not inside,
        "<": value < span.start,
        "<=": value < span.end,
        ">": value >= span.end,
        ">=": value >= span.start,
    }
    return checks[operator]
