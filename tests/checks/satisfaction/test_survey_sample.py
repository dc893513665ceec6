"""CRM-SAT-003: survey size and skipped rows."""

import json
from pathlib import Path

import pytest

from crmsec.errors import Reason
from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

FIXTURES = Path(__file__).parent / "survey_sample"
CHECK = "CRM-SAT-003"
CASES = [
    ("pass", [("rejected_rows", Status.PASS, None), ("respondents", Status.PASS, None)]),
    ("fail", [("rejected_rows", Status.WARN, None), ("respondents", Status.WARN, None)]),
    ("missing", [("organization", Status.ERROR, Reason.EVIDENCE_MISSING)]),
]


def values(case: str) -> dict:
    return json.loads((FIXTURES / f"{case}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize(("case", "expected"), CASES)
def test_survey_sample(case: str, expected: list) -> None:
    findings = run_check(CHECK, snapshot_from_values(FIXTURES / f"{case}.json"))
    assert sorted((f.resource, f.status, f.reason) for f in findings) == expected


def test_source_not_supplied_is_not_applicable() -> None:
    data = values("pass")
    data["inputs.survey"] = {"__error__": {"reason": "not_supported", "message": "not provided"}}
    [finding] = run_check(CHECK, snapshot_from_values(data))
    assert (finding.status, finding.reason) == (Status.NOT_APPLICABLE, Reason.NOT_SUPPORTED)


def test_limits_are_parameters() -> None:
    snapshot = snapshot_from_values(FIXTURES / "fail.json")
    findings = run_check(CHECK, snapshot, min_respondents=10, max_rejected_percent=10)
    assert {f.status for f in findings} == {Status.PASS}
    assert {f.resource: f.details["actual"] for f in findings} == {"respondents": 12.0, "rejected_rows": 7.69}
