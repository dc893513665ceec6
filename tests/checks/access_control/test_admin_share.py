"""CRM-AC-001: share and number of admins."""

from pathlib import Path

import pytest

from crmsec.errors import Reason
from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

FIXTURES = Path(__file__).parent / "admin_share"
CASES = [("pass", Status.PASS, None), ("fail", Status.FAIL, None), ("missing", Status.ERROR, Reason.EVIDENCE_MISSING)]


@pytest.mark.parametrize(("case", "status", "reason"), CASES)
def test_admin_share(case: str, status: Status, reason: Reason | None) -> None:
    [finding] = run_check("CRM-AC-001", snapshot_from_values(FIXTURES / f"{case}.json"))
    assert (finding.status, finding.reason, finding.resource) == (status, reason, "organization")


def test_counts_only_active_internal_users() -> None:
    [finding] = run_check("CRM-AC-001", snapshot_from_values(FIXTURES / "pass.json"))
    assert (finding.details["admins"], finding.details["active_internal_users"]) == (2, 22)
    assert "old.admin@example.test" not in finding.details["usernames"]


def test_share_alone_fails_when_the_count_is_within_limit() -> None:
    [finding] = run_check("CRM-AC-001", snapshot_from_values(FIXTURES / "fail.json"), max_admins=10)
    assert finding.status is Status.FAIL
    assert finding.details["share"] == 0.375


def test_profile_can_relax_both_limits() -> None:
    snapshot = snapshot_from_values(FIXTURES / "fail.json")
    [finding] = run_check("CRM-AC-001", snapshot, max_admins=10, max_admin_share=0.5)
    assert finding.status is Status.PASS
