"""CRM-BIZ-002: payback within the horizon."""

import json
from pathlib import Path

import pytest

from crmsec.errors import Reason
from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

FIXTURES = Path(__file__).parent / "payback_period"
CHECK = "CRM-BIZ-002"
CASES = [
    ("pass", [("organization", Status.PASS, None)]),
    ("fail", [("organization", Status.WARN, None)]),
    ("missing", [("organization", Status.ERROR, Reason.EVIDENCE_MISSING)]),
]


def values(case: str) -> dict:
    return json.loads((FIXTURES / f"{case}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize(("case", "expected"), CASES)
def test_payback_period(case: str, expected: list) -> None:
    findings = run_check(CHECK, snapshot_from_values(FIXTURES / f"{case}.json"))
    assert sorted((f.resource, f.status, f.reason) for f in findings) == expected


def test_source_not_supplied_is_not_applicable() -> None:
    data = values("pass")
    data["inputs.costs"] = {"__error__": {"reason": "not_supported", "message": "not provided"}}
    [finding] = run_check(CHECK, snapshot_from_values(data))
    assert (finding.status, finding.reason) == (Status.NOT_APPLICABLE, Reason.NOT_SUPPORTED)


def test_never_paying_back_fails() -> None:
    data = values("fail")
    data["metrics.computed"]["payback_months"]["value"] = None
    [finding] = run_check(CHECK, snapshot_from_values(data))
    assert finding.status is Status.FAIL


def test_stricter_limit_than_the_horizon() -> None:
    [finding] = run_check(CHECK, snapshot_from_values(FIXTURES / "pass.json"), max_payback_months=12)
    assert (finding.status, finding.details["limit"]) == (Status.WARN, 12.0)
