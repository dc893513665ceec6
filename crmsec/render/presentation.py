"""Plain-text pieces shared by every human-facing rendering: numbers, JSON values, waivers, printable text.

The evaluation dimensions (metrics, survey themes, recommendations) are read in `evaluation_view`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

from crmsec.vocabulary import JsonValue

# What must never reach a reader as it is: the C0 range (ESC starts terminal escape sequences, BEL ends OSC ones,
# CR overwrites a line, LF starts a fake one), DEL, the C1 range (0x9b is CSI and 0x9d OSC on 8-bit terminals),
# and the Unicode line separators and bidirectional formatting characters, which break or reorder what is shown.
# Zero-width joiners stay: emoji sequences need them.
UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
REPLACEMENT = "\ufffd"


def printable(text: str, *, keep: str = "") -> str:
    """`text` with every character `UNPRINTABLE` matches shown as U+FFFD, except the ones listed in `keep`.

    CRM data is hostile input: a user, profile or app name can carry a terminal escape sequence (clear the
    screen, retitle the window, forge a hyperlink) or a line break that forges a line of our own output. The
    terminal (`cli.console`) and report.md show such characters as U+FFFD, as HTML and CSV do.
    """
    if not keep:
        return UNPRINTABLE.sub(REPLACEMENT, text)
    return UNPRINTABLE.sub(lambda match: match.group() if match.group() in keep else REPLACEMENT, text)


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
