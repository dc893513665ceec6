"""Framework coverage for the rendered reports: each framework's controls, the checks mapped to them and
the state their findings give (fail, warn, waived, pass, not assessed). Derived from a `Report` alone.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from crmsec.render.view import FRAMEWORK_LABELS, natural_key
from crmsec.report.model import FindingRecord, Report
from crmsec.vocabulary import JsonValue, Status

_CONTROL_STATES = ("fail", "warn", "waived", "pass", "not_assessed")
CONTROL_LABELS: Mapping[str, str] = {
    "fail": "Fail",
    "warn": "Warn",
    "waived": "Waived",
    "pass": "Pass",
    "not_assessed": "Not assessed",
}


@dataclass(frozen=True, slots=True)
class Control:
    """One framework control, the checks mapped to it, and its state from their findings."""

    control: str
    checks: tuple[str, ...]
    state: str

    @property
    def label(self) -> str:
        """The state as a reader sees it."""
        return CONTROL_LABELS[self.state]


@dataclass(frozen=True, slots=True)
class Framework:
    """A framework's controls touched by this report's checks, with a count per state."""

    key: str
    label: str
    controls: tuple[Control, ...]

    @property
    def counts(self) -> list[tuple[str, int]]:
        """(state, number of controls) in display order."""
        counts = Counter(control.state for control in self.controls)
        return [(state, counts.get(state, 0)) for state in _CONTROL_STATES]


def _check_state(findings: Sequence[FindingRecord]) -> str:
    statuses = {finding.status for finding in findings}
    if statuses & {Status.FAIL, Status.ERROR}:
        return "fail"
    if Status.WARN in statuses:
        return "warn"
    if Status.WAIVED in statuses:
        return "waived"
    if Status.PASS in statuses:
        return "pass"
    return "not_assessed"


def frameworks(report: Report) -> list[Framework]:
    """Per framework, each mapped control with the worst state among its checks' findings."""
    by_check: dict[str, list[FindingRecord]] = {}
    for finding in report.findings:
        by_check.setdefault(finding.check_id, []).append(finding)
    mapped: dict[str, dict[str, list[str]]] = {key: {} for key in FRAMEWORK_LABELS}
    for check in report.checks:
        for key, controls in _mapping(check.get("frameworks")).items():
            for control in controls:
                mapped.setdefault(key, {}).setdefault(str(control), []).append(str(check["id"]))
    result = []
    for key, by_control in mapped.items():
        rows = []
        for control in sorted(by_control, key=natural_key):
            checks = tuple(sorted(set(by_control[control])))
            states = [_check_state(by_check.get(check_id, [])) for check_id in checks]
            rows.append(Control(control, checks, min(states, key=_CONTROL_STATES.index)))
        result.append(Framework(key, FRAMEWORK_LABELS.get(key, key), tuple(rows)))
    return result


def _mapping(value: JsonValue) -> dict[str, list[JsonValue]]:
    if not isinstance(value, Mapping):
        return {}
    return {str(key): list(items) for key, items in value.items() if isinstance(items, list)}
