"""The predicate of a signed report: the verdict a report.json yields, and its check on verification.

`crmsec sign` copies it from the report into the in-toto statement (`report_predicate`); `crmsec verify`
reads the signed verdict back (`signed_verdict`) and, given the report, recomputes the predicate and
compares it field by field (`compare_predicate`). Once the report's digest matches, the two can only differ
if the signer signed a statement made for another report, or a crafted one; the auditor is told so rather
than shown a verdict the report does not hold.

The gate settings (`fail_under`, `fail_on`, `baseline`, and where the first two came from:
`fail_under_from`, `fail_on_from`) joined the predicate after the first envelopes were signed: a report
that lacks them is signed without them, and an envelope without them still verifies (its
`Verdict.gate_set` is None, or its sources are None).

Errors: a report without a well-typed verdict raises `SigningError` (it cannot be signed); a signed
predicate without one, or one that is not the report's, raises `VerificationError`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crmsec.errors import SigningError, VerificationError

GATE_SETTINGS = ("fail_under", "fail_on", "baseline", "fail_under_from", "fail_on_from")
_OPTIONAL_LEAVES = frozenset(f"gate.{setting}" for setting in GATE_SETTINGS)
_ABSENT: Any = object()


@dataclass(frozen=True, slots=True)
class Verdict:
    """The signed verdict: score, grade and gate.

    `gate_set` is None when the envelope predates signed gate settings (then only the outcome is known),
    False when neither `fail_under` nor `fail_on` was set (nothing could fail the run).
    """

    score: float | None
    grade: str
    gate_passed: bool
    gate_set: bool | None
    fail_under: float | None = None
    fail_on: str | None = None
    baseline: str | None = None
    fail_under_from: str | None = None
    fail_on_from: str | None = None


def report_predicate(report: Any, where: str) -> dict[str, Any]:
    """The predicate a parsed report.json yields; a missing or mistyped field raises `SigningError`."""

    def field(dotted: str, kinds: tuple[type, ...], *, optional: bool = False) -> Any:
        value = _leaf(report, dotted)
        if value is _ABSENT:
            if optional:
                return _ABSENT
            raise SigningError(f"{where}: missing {dotted}", hint="sign a report.json written by crmsec")
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            raise SigningError(f"{where}: {dotted} has the wrong type", hint="sign a report.json written by crmsec")
        return value

    text, number, optional_text = (str,), (int, float, type(None)), (str, type(None))
    gate = {"passed": field("gate.passed", (bool,))}
    kinds_of_settings = (number, optional_text, optional_text, optional_text, optional_text)
    for name, kinds in zip(GATE_SETTINGS, kinds_of_settings, strict=True):
        value = field(f"gate.{name}", kinds, optional=True)
        if value is not _ABSENT:
            gate[name] = value
    return {
        "tool": {"name": field("tool.name", text), "version": field("tool.version", text)},
        "profile": {"name": field("profile.name", text), "sha256": field("profile.sha256", text)},
        "target": {"platform": field("target.platform", text), "url": field("target.url", text)},
        "score": field("scores.overall", number),
        "grade": field("scores.grade", text),
        "gate": gate,
        "generated_at": field("generated_at", text),
        "evidence_sha256": field("evidence.sha256", text),
    }


def signed_verdict(predicate: dict[str, Any], where: Path) -> Verdict:
    """The verdict a signed predicate vouches for; one without a well-typed verdict raises `VerificationError`."""
    score, grade, gate = predicate.get("score"), predicate.get("grade"), predicate.get("gate")
    if "score" not in predicate or not _is_number(score, optional=True) or not isinstance(grade, str):
        raise VerificationError(f"{where}: the signed predicate has no valid score and grade")
    if not isinstance(gate, dict) or not isinstance(gate.get("passed"), bool):
        raise VerificationError(f"{where}: the signed predicate has no valid gate.passed")
    fail_under, fail_on = gate.get("fail_under"), gate.get("fail_on")
    if not _is_number(fail_under, optional=True):
        raise VerificationError(f"{where}: the signed gate.fail_under is not a number")
    if not isinstance(fail_on, str | None):
        raise VerificationError(f"{where}: the signed gate.fail_on is not a severity")
    recorded = "fail_under" in gate and "fail_on" in gate
    gate_set = (fail_under is not None or fail_on is not None) if recorded else None
    texts = {name: gate.get(name) if isinstance(gate.get(name), str) else None for name in GATE_SETTINGS[2:]}
    return Verdict(score, grade, gate["passed"], gate_set, fail_under, fail_on, **texts)


def compare_predicate(signed: dict[str, Any], report: Any, where: Path) -> None:
    """Raise `VerificationError` unless the signed predicate is the one the parsed report yields."""
    try:
        expected = report_predicate(report, str(where))
    except SigningError as error:
        raise VerificationError(f"{error}, so its verdict cannot be compared with the signed one") from error
    differences = []
    for name, actual in _leaves(expected):
        value = _leaf(signed, name)
        if value is _ABSENT and name in _OPTIONAL_LEAVES:
            continue  # an envelope signed before gate settings were part of the predicate
        if not _same(value, actual):
            differences.append(f"{name} signed {_shown(value)}, report says {_shown(actual)}")
    if differences:
        raise VerificationError(
            f"{where}: the signed verdict does not match the report: {'; '.join(differences)}",
            hint="the envelope was made for another report: trust neither until the signer re-signs this one",
        )


def _is_number(value: Any, *, optional: bool) -> bool:
    if value is None:
        return optional
    return isinstance(value, int | float) and not isinstance(value, bool)


def _leaves(mapping: dict[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    for key, value in mapping.items():
        if isinstance(value, dict):
            found += _leaves(value, f"{prefix}{key}.")
        else:
            found.append((f"{prefix}{key}", value))
    return found


def _leaf(document: Any, dotted: str) -> Any:
    value: Any = document
    for part in dotted.split("."):
        if not isinstance(value, dict) or part not in value:
            return _ABSENT
        value = value[part]
    return value


def _same(signed: Any, actual: Any) -> bool:
    """Equal as JSON values: 80 and 80.0 are one number (canonical JSON writes both as 80), True is not 1."""
    if isinstance(signed, bool) or isinstance(actual, bool):
        return signed is actual
    if isinstance(signed, int | float) and isinstance(actual, int | float):
        return bool(signed == actual)
    return type(signed) is type(actual) and bool(signed == actual)


def _shown(value: Any) -> str:
    return "nothing" if value is _ABSENT else json.dumps(value, ensure_ascii=True)[:80]
