"""The words of a verdict: the gate, the coverage line and the grade's coverage caveat, written once.

Every surface (terminal summary, report.html, report.md, `crmsec verify`) prints these strings as they are,
so a report can never say "Passed" in one place and "not set" in another. They read only plain values (a
report's `gate` and `coverage` mappings, or a signed verdict's fields), never the engine.

Rules (docs/reports.md, "One verdict"):

* No `fail_under` and no `fail_on`: "No gate set", whatever `passed` says (nothing could fail the run).
* Otherwise "Gate passed (...)" or "Gate failed (...)" with each setting and where it came from ("from the
  command line", "from the profile"), and the baseline when only new findings could fail.
* A grade is marked partial when fewer than `PARTIAL_BELOW` of the selected checks decided: "A (partial: 17%
  of checks decided)". Not-applicable checks count as undecided here: a web-only scan that decides 19 of 110
  checks has said nothing about the other 91, whatever their reason.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from crmsec.vocabulary import JsonValue

PARTIAL_BELOW = 0.8
"""A grade is marked partial when fewer than this share of the selected checks decided."""

NO_GATE = "No gate set"
SOURCES: Mapping[str, str] = {"cli": "the command line", "profile": "the profile"}
"""Where a gate setting came from, as `gate.fail_under_from` / `gate.fail_on_from` record it."""


def _number(value: JsonValue) -> str:
    return f"{value:g}" if isinstance(value, int | float) and not isinstance(value, bool) else str(value)


def _setting(label: str, value: JsonValue, source: JsonValue) -> str:
    where = SOURCES.get(source) if isinstance(source, str) else None
    return f"{label} {_number(value)}" + (f" from {where}" if where else "")


def gate_wording(
    *,
    passed: bool,
    fail_under: JsonValue,
    fail_on: JsonValue,
    baseline: JsonValue = None,
    fail_under_from: JsonValue = None,
    fail_on_from: JsonValue = None,
    settings_recorded: bool = True,
) -> str:
    """The gate in words, e.g. "Gate failed (fail-under 70 from the command line)" or "No gate set"."""
    state = "passed" if passed else "failed"
    if not settings_recorded:
        return f"Gate {state} (its settings are not recorded)"
    if fail_under is None and fail_on is None:
        return NO_GATE
    settings = [_setting("fail-under", fail_under, fail_under_from)] if fail_under is not None else []
    settings += [_setting("fail-on", fail_on, fail_on_from)] if fail_on is not None else []
    if baseline:
        settings.append(f"only findings new since baseline {baseline}")
    return f"Gate {state} ({'; '.join(settings)})"


def gate_wording_of(gate: Mapping[str, JsonValue]) -> str:
    """`gate_wording` for a report's `gate` mapping."""
    return gate_wording(
        passed=bool(gate.get("passed")),
        fail_under=gate.get("fail_under"),
        fail_on=gate.get("fail_on"),
        baseline=gate.get("baseline"),
        fail_under_from=gate.get("fail_under_from"),
        fail_on_from=gate.get("fail_on_from"),
    )


def gate_state(gate: Mapping[str, JsonValue]) -> str:
    """The gate's state, "unset", "passed" or "failed": the state a surface colours the gate wording with."""
    if gate.get("fail_under") is None and gate.get("fail_on") is None:
        return "unset"
    return "passed" if gate.get("passed") else "failed"


def _count(coverage: Mapping[str, JsonValue], key: str) -> int:
    value = coverage.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def decided_share(coverage: Mapping[str, JsonValue]) -> float | None:
    """Decided checks over selected checks (not over applicable ones), None when nothing was selected."""
    selected = _count(coverage, "selected")
    return _count(coverage, "decided") / selected if selected else None


def _percent(share: float) -> str:
    """A share as a whole percentage, never rounded up to 100% or down to 0% when it is neither."""
    value = share * 100
    shown = math.floor(value) if value > 99 else math.ceil(value) if value < 1 else round(value)
    return f"{shown}%"


def graded(grade: str, coverage: Mapping[str, JsonValue]) -> str:
    """The grade with its coverage caveat when fewer than `PARTIAL_BELOW` of the selected checks decided."""
    share = decided_share(coverage)
    if share is None or share >= PARTIAL_BELOW or grade == "N/A":
        return grade
    return f"{grade} (partial: {_percent(share)} of checks decided)"


def coverage_wording(coverage: Mapping[str, JsonValue]) -> str:
    """The coverage line, e.g. "92 of 110 checks decided (84%); 92 of the 94 applicable (97.9%)"."""
    selected, decided = _count(coverage, "selected"), _count(coverage, "decided")
    applicable = selected - _count(coverage, "not_applicable")
    share = decided_share(coverage)
    text = f"{decided} of {selected} checks decided" + (f" ({_percent(share)})" if share is not None else "")
    if applicable != selected and applicable > 0:
        text += f"; {decided} of the {applicable} applicable ({decided / applicable:.1%})"
    return text
