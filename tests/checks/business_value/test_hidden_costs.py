"""CRM-BIZ-005: hidden_cost_share against warn_above/fail_above (fixtures built from real metric computations)."""

import json
from pathlib import Path

import pytest

from crmsec.errors import Reason
from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

FIXTURES = Path(__file__).parent / "hidden_costs"
CHECK = "CRM-BIZ-005"
CASES = [
    ("pass", Status.PASS, None),
    ("fail", Status.FAIL, None),
    ("missing", Status.ERROR, Reason.EVIDENCE_MISSING),
]


def values(case: str) -> dict:
    return json.loads((FIXTURES / f"{case}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize(("case", "status", "reason"), CASES)
def test_hidden_costs(case: str, status: Status, reason: Reason | None) -> None:
    [finding] = run_check(CHECK, snapshot_from_values(FIXTURES / f"{case}.json"))
    assert (finding.resource, finding.status, finding.reason) == ("organization", status, reason)


def test_between_the_limits_warns() -> None:
    data = values("pass")
    data["metrics.computed"]["hidden_cost_share"]["value"] = 37.5
    [finding] = run_check(CHECK, snapshot_from_values(data))
    assert finding.status is Status.WARN
    assert finding.details["actual"] == 37.5


def test_parameters_move_the_limits() -> None:
    snapshot = snapshot_from_values(FIXTURES / "fail.json")
    [finding] = run_check(CHECK, snapshot, warn_above=1000000, fail_above=1000000)
    assert finding.status is Status.PASS


def test_undefined_metric_is_not_applicable() -> None:
    data = values("pass")
    data["metrics.computed"]["hidden_cost_share"]["value"] = None
    [finding] = run_check(CHECK, snapshot_from_values(data))
    assert finding.status is Status.NOT_APPLICABLE


def test_source_not_supplied_is_not_applicable() -> None:
    data = values("pass")
    data["inputs.costs"] = {"__error__": {"reason": "not_supported", "message": "not provided"}}
    [finding] = run_check(CHECK, snapshot_from_values(data))
    assert (finding.status, finding.reason) == (Status.NOT_APPLICABLE, Reason.NOT_SUPPORTED)


def test_metric_absent_is_unusable() -> None:
    data = values("pass")
    del data["metrics.computed"]["hidden_cost_share"]
    [finding] = run_check(CHECK, snapshot_from_values(data))
    assert (finding.status, finding.reason) == (Status.ERROR, Reason.EVIDENCE_UNUSABLE)
