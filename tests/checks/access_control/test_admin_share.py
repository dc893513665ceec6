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


ADMIN = {"username": "a.admin@example.test", "active": True, "user_type": "standard", "is_admin": True}
MEMBER = {"username": "m.member@example.test", "active": True, "user_type": "standard", "is_admin": False}


@pytest.mark.parametrize(
    "users",
    [
        pytest.param([], id="no-users"),
        pytest.param([dict(ADMIN, active=False)], id="no-active-users"),
        pytest.param([MEMBER], id="no-admin"),
    ],
)
def test_an_org_without_active_users_or_admins_is_an_error_not_0_of_0(users: list[dict[str, object]]) -> None:
    """Every org has an active user and an admin: a list without them was not read completely."""
    [finding] = run_check("CRM-AC-001", snapshot_from_values({"identity.users": users}))
    assert (finding.status, finding.reason) == (Status.ERROR, Reason.EVIDENCE_UNUSABLE)


def test_one_admin_among_members_passes() -> None:
    [finding] = run_check("CRM-AC-001", snapshot_from_values({"identity.users": [ADMIN] + [MEMBER] * 19}))
    assert finding.status is Status.PASS
    assert (finding.details["admins"], finding.details["active_internal_users"]) == (1, 20)
