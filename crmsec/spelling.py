"""Did-you-mean suggestions for names the user typed: check ids, platforms, profiles, dimensions, formats.

One helper so every message suggests the same way: `difflib.get_close_matches`, case-insensitive, at most
three names, and nothing at all when no name is close (a wrong suggestion is worse than none).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

CUTOFF = 0.6
"""How close a name must be to be suggested (difflib's ratio, 0..1)."""
ID_CUTOFF = 0.85
"""Check ids share most of their characters (`CRM-TLS-001`, `CRM-TLS-002`): only near-misses are suggested."""


NEAR = 0.05
"""Names within this ratio of the best match are suggested with it."""


def _ratio(word: str, match: str) -> float:
    return difflib.SequenceMatcher(None, word.lower(), match).ratio()


_CHECK_ID = re.compile(r"^([A-Za-z]+-[A-Za-z]+-)(\d{1,2})$")


def close_matches(word: str, choices: Iterable[str], *, limit: int = 3, cutoff: float = CUTOFF) -> list[str]:
    """The choices closest to `word`, best first (compared case-insensitively, returned as spelled).

    A check id typed without its leading zeros (`CRM-AUTH-4`, `CRM-AUTH-04`) suggests the padded id alone:
    it is the same id, so near neighbours (`CRM-AUTH-014`) would only blur the answer.
    """
    spelled = {choice.lower(): choice for choice in choices}
    padded = _CHECK_ID.match(word)
    first = f"{padded[1]}{int(padded[2]):03d}".lower() if padded else None
    found = difflib.get_close_matches(word.lower(), list(spelled), n=limit, cutoff=cutoff)
    if found:  # only the names about as close as the best one: "authentication", not also "satisfaction"
        best = _ratio(word, found[0])
        found = [match for match in found if _ratio(word, match) >= best - NEAR]
    if first in spelled:
        found = [first]
    return [spelled[match] for match in found]


def did_you_mean(word: str, choices: Iterable[str], *, cutoff: float = CUTOFF) -> str:
    """`" (did you mean X?)"`, `" (did you mean X or Y?)"`, or `""` when nothing is close."""
    matches = close_matches(word, choices, cutoff=cutoff)
    if not matches:
        return ""
    if len(matches) == 1:
        return f" (did you mean {matches[0]}?)"
    return f" (did you mean {', '.join(matches[:-1])} or {matches[-1]}?)"
