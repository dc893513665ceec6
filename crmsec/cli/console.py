"""The only module that prints: results to stdout, messages and progress to stderr.

Everything printed passes `printable` here, so no command can forget it: CRM data (user, profile and app names,
URLs, messages) is hostile input, and a control character in it (ESC, BEL, CSI 0x9b, OSC 0x9d, CR, DEL...) is
shown as U+FFFD instead of reaching the terminal. `out` and `err` keep the line breaks of the text they are
given, so a command formats each data value with `field` (which replaces line breaks too): a resource named
"x\\nGate: PASSED" then cannot print a fake line. Our own control output (the progress line's `\\r`) is added
after the text is made printable.
"""

from __future__ import annotations

import json
import logging
import sys
from typing import Any

from crmsec.render.presentation import UNPRINTABLE, printable


def field(value: object) -> str:
    """One data value made safe inside a line: every control character, line breaks and tabs included, as U+FFFD."""
    return printable(str(value))


def out(text: str = "") -> None:
    """Print a line of results to stdout."""
    print(printable(text, keep="\n"), file=sys.stdout, flush=True)


def err(text: str) -> None:
    """Print a message to stderr (errors, hints, progress, notes)."""
    print(printable(text, keep="\n"), file=sys.stderr, flush=True)


def out_json(document: Any) -> None:
    """Print a JSON document to stdout (sorted keys, two-space indent) with no raw control character in it.

    `json.dumps` escapes C0 characters but, with `ensure_ascii=False`, writes DEL, C1 (0x9b is CSI) and the
    Unicode line and bidirectional characters raw; they can only stand inside strings, where `\\uXXXX` is the
    same value, so the document parses to exactly what it did.
    """
    text = json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False)
    text = UNPRINTABLE.sub(lambda match: match.group() if match.group() == "\n" else _json_escape(match.group()), text)
    print(text, file=sys.stdout, flush=True)


def _json_escape(character: str) -> str:
    return f"\\u{ord(character):04x}"


class PrintableFormatter(logging.Formatter):
    """A logging formatter whose lines pass `printable` too: log messages can quote CRM data."""

    def format(self, record: logging.LogRecord) -> str:
        """The formatted record (traceback lines kept) with every other control character as U+FFFD."""
        return printable(super().format(record), keep="\n")


def stderr_is_terminal() -> bool:
    """True when stderr is an interactive terminal (progress is shown only then)."""
    return sys.stderr.isatty()


class Progress:
    """A one-line progress display on stderr, shown only when stderr is a terminal and not --quiet."""

    def __init__(self, *, enabled: bool) -> None:
        self.enabled = enabled and stderr_is_terminal()
        self._width = 0

    def update(self, text: str) -> None:
        """Replace the progress line with `text` (made printable: only our own `\\r` moves the cursor)."""
        if not self.enabled:
            return
        line = printable(text)[:100]
        print("\r" + line.ljust(self._width), end="", file=sys.stderr, flush=True)
        self._width = len(line)

    def close(self) -> None:
        """Clear the progress line."""
        if self.enabled and self._width:
            print("\r" + " " * self._width + "\r", end="", file=sys.stderr, flush=True)
            self._width = 0
