"""CRM-AUTH-009: lockout_duration."""

from pathlib import Path

import pytest

from crmsec.errors import Reason
from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

FIXTURES = Path(__file__).parent / "lockout_duration"
CASES = [
    ("pass", Status.PASS, None),
    ("fail", Status.FAIL, None),
    ("missing", Status.ERROR, Reason.EVIDENCE_MISSING),
]


@pytest.mark.parametrize(("case", "status", "reason"), CASES)
def test_lockout_duration(case: str, status: Status, reason: Reason | None) -> None:
    [finding] = run_check("CRM-AUTH-009", snapshot_from_values(FIXTURES / f"{case}.json"))
    assert (finding.status, finding.reason, finding.resource) == (status, reason, "organization")


def test_zero_means_until_an_admin_unlocks() -> None:
    values = {"auth.password_policy": {"max_login_attempts": 3, "lockout_minutes": 0}}
    [finding] = run_check("CRM-AUTH-009", snapshot_from_values(values))
    assert finding.status is Status.PASS


def test_no_lockout_at_all_is_not_applicable() -> None:
    values = {"auth.password_policy": {"max_login_attempts": 0, "lockout_minutes": 15}}
    [finding] = run_check("CRM-AUTH-009", snapshot_from_values(values))
    assert finding.status is Status.NOT_APPLICABLE
