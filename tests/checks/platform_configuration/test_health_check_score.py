"""CRM-CFG-101 health_check_score: FAIL under min_health_check_score (default 80)."""

from pathlib import Path

import pytest

from crmsec.errors import Reason
from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

FIXTURES = Path(__file__).parent / "health_check_score"
CHECK = "CRM-CFG-101"
CASES = [
    ("pass", Status.PASS, None),
    ("fail", Status.FAIL, None),
    ("missing", Status.ERROR, Reason.EVIDENCE_MISSING),
    ("malformed", Status.ERROR, Reason.EVIDENCE_UNUSABLE),
    ("denied", Status.ERROR, Reason.PERMISSION_DENIED),
]


@pytest.mark.parametrize(("case", "status", "reason"), CASES)
def test_health_check_score(case: str, status: Status, reason: Reason | None) -> None:
    [finding] = run_check(CHECK, snapshot_from_values(FIXTURES / f"{case}.json"))
    assert (finding.resource, finding.status, finding.reason) == ("organization", status, reason)


def test_min_health_check_score_is_a_parameter() -> None:
    snapshot = snapshot_from_values(FIXTURES / "fail.json")  # score 74
    [finding] = run_check(CHECK, snapshot, min_health_check_score=70)
    assert (finding.status, finding.details["score"], finding.details["limit"]) == (Status.PASS, 74, 70)
    [finding] = run_check(CHECK, snapshot, min_health_check_score=74)
    assert finding.status is Status.PASS
    [finding] = run_check(CHECK, snapshot, min_health_check_score=75)
    assert finding.status is Status.FAIL


def test_other_platforms_are_not_applicable() -> None:
    [finding] = run_check(CHECK, snapshot_from_values(FIXTURES / "pass.json", platform="bottlecrm"))
    assert finding.status is Status.NOT_APPLICABLE
