"""CRM-AUTH-008: login_attempt_lockout."""

from pathlib import Path

import pytest

from crmsec.errors import Reason
from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

FIXTURES = Path(__file__).parent / "login_attempt_lockout"
CASES = [
    ("pass", Status.PASS, None),
    ("fail", Status.FAIL, None),
    ("missing", Status.ERROR, Reason.EVIDENCE_MISSING),
]


@pytest.mark.parametrize(("case", "status", "reason"), CASES)
def test_login_attempt_lockout(case: str, status: Status, reason: Reason | None) -> None:
    [finding] = run_check("CRM-AUTH-008", snapshot_from_values(FIXTURES / f"{case}.json"))
    assert (finding.status, finding.reason, finding.resource) == (status, reason, "organization")


@pytest.mark.parametrize(("attempts", "status"), [(5, Status.PASS), (6, Status.FAIL), (10, Status.FAIL)])
def test_threshold_against_limit(attempts: int, status: Status) -> None:
    values = {"auth.password_policy": {"max_login_attempts": attempts}}
    [finding] = run_check("CRM-AUTH-008", snapshot_from_values(values))
    assert finding.status is status


def test_negative_is_unusable() -> None:
    values = {"auth.password_policy": {"max_login_attempts": -1}}
    [finding] = run_check("CRM-AUTH-008", snapshot_from_values(values))
    assert (finding.status, finding.reason) == (Status.ERROR, Reason.EVIDENCE_UNUSABLE)
