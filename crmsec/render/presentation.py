"""Plain-text pieces shared by every human-facing rendering: numbers, JSON values and waivers.

The evaluation dimensions (metrics, survey themes, recommendations) are read in `evaluation_view`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from crmsec.plugin import JsonValue


def number_text(value: float | None) -> str:
    """A score or points value as text: up to two decimals, no trailing zeros, "n/a" for none."""
    if value is None:
        return "n/a"
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")


def value_text(value: JsonValue) -> str:
    """Any JSON value as one line of text (objects and lists as compact JSON)."""
    if value is None:
        return "n/a"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return number_text(value)
    if isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def waiver_text(waiver: Mapping[str, JsonValue] | None) -> str:
    """A waiver in one line: owner, expiry and justification."""
    if not waiver:
        return ""
    return (
        f"waived by {value_text(waiver.get('owner'))} until {value_text(waiver.get('expires'))}: "
        f"{value_text(waiver.get('justification'))}"
    )
