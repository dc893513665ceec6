"""The only module that prints: results to stdout, messages and progress to stderr."""

from __future__ import annotations

import json
import sys
from typing import Any


def out(text: str = "") -> None:
    """Print a line of results to stdout."""
    print(text, file=sys.stdout, flush=True)


def err(text: str) -> None:
    """Print a message to stderr (errors, hints, progress, notes)."""
    print(text, file=sys.stderr, flush=True)


def out_json(document: Any) -> None:
    """Print a JSON document to stdout (sorted keys, two-space indent)."""
    print(json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False), file=sys.stdout, flush=True)


def stderr_is_terminal() -> bool:
    """True when stderr is an interactive terminal (progress is shown only then)."""
    return sys.stderr.isatty()


class Progress:
    """A one-line progress display on stderr, shown only when stderr is a terminal and not --quiet."""

    def __init__(self, *, enabled: bool) -> None:
        self.enabled = enabled and stderr_is_terminal()
        self._width = 0

    def update(self, text: str) -> None:
        """Replace the progress line with `text`."""
        if not self.enabled:
            return
        line = text[:100]
        print("\r" + line.ljust(self._width), end="", file=sys.stderr, flush=True)
        self._width = len(line)

    def close(self) -> None:
        """Clear the progress line."""
        if self.enabled and self._width:
            print("\r" + " " * self._width + "\r", end="", file=sys.stderr, flush=True)
            self._width = 0
