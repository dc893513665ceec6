"""CRM-AUTH-002: mfa_enforced_for_admins."""

from pathlib import Path

import pytest

from crmsec.errors import Reason
from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

FIXTURES = Path(__file__).parent / "mfa_enforced_for_admins"
CASES = [
    ("pass", Status.PASS, None),
    ("fail", Status.FAIL, None),
    ("missing", Status.ERROR, Reason.EVIDENCE_MISSING),
]


@pytest.mark.parametrize(("case", "status", "reason"), CASES)
def test_mfa_enforced_for_admins(case: str, status: Status, reason: Reason | None) -> None:
    [finding] = run_check("CRM-AUTH-002", snapshot_from_values(FIXTURES / f"{case}.json"))
    assert (finding.status, finding.reason, finding.resource) == (status, reason, "organization")


def test_mfa_for_everyone_covers_admins() -> None:
    values = {"auth.mfa": {"enforced_for_all": True, "enforced_for_admins": None, "enforcement": "org"}}
    [finding] = run_check("CRM-AUTH-002", snapshot_from_values(values))
    assert finding.status is Status.PASS


def test_unknown_is_manual() -> None:
    values = {"auth.mfa": {"enforced_for_all": False, "enforced_for_admins": None, "enforcement": None}}
    [finding] = run_check("CRM-AUTH-002", snapshot_from_values(values))
    assert finding.status is Status.MANUAL
