"""CRM-AC-003: View All Data only through admin profiles."""

from pathlib import Path

import pytest

from crmsec.errors import Reason
from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

FIXTURES = Path(__file__).parent / "view_all_data_holders"
CASES = [
    ("pass", [("a.admin@example.test", Status.PASS, None)]),
    (
        "fail",
        [
            ("a.admin@example.test", Status.PASS, None),
            ("r.analyst@example.test", Status.FAIL, None),
            ("sync.integration@example.test", Status.WARN, None),
        ],
    ),
    ("missing", [("organization", Status.ERROR, Reason.EVIDENCE_MISSING)]),
]


@pytest.mark.parametrize(("case", "expected"), CASES)
def test_view_all_data_holders(case: str, expected: list[tuple[str, Status, Reason | None]]) -> None:
    findings = run_check("CRM-AC-003", snapshot_from_values(FIXTURES / f"{case}.json"))
    assert sorted((f.resource, f.status, f.reason) for f in findings) == expected


def test_failing_finding_names_the_permission_sets() -> None:
    findings = run_check("CRM-AC-003", snapshot_from_values(FIXTURES / "fail.json"))
    [analyst] = [f for f in findings if f.resource == "r.analyst@example.test"]
    assert analyst.details["permission_sets"] == ["Reporting"]


PROFILES = [{"name": "Standard User", "is_admin": False}, {"name": "Admin", "is_admin": True}]
MEMBER = {"username": "m.member@example.test", "active": True, "permissions": ["api_enabled"], "is_admin": False}


@pytest.mark.parametrize(
    "users",
    [
        pytest.param([], id="no-users"),
        pytest.param([dict(MEMBER, active=False)], id="no-active-users"),
        pytest.param([MEMBER], id="no-admin"),
    ],
)
def test_nobody_holding_it_in_an_org_without_users_or_admins_is_an_error(users: list[dict[str, object]]) -> None:
    """ "No holder" is a PASS only when the permissions were visibly read (every org has an active admin)."""
    snapshot = snapshot_from_values({"identity.users": users, "identity.profiles": PROFILES})
    [finding] = run_check("CRM-AC-003", snapshot)
    assert (finding.status, finding.reason) == (Status.ERROR, Reason.EVIDENCE_UNUSABLE)


def test_nobody_holding_it_with_an_admin_that_lacks_it_passes() -> None:
    admin = dict(MEMBER, username="a.admin@example.test", is_admin=True, permissions=["manage_users"])
    snapshot = snapshot_from_values({"identity.users": [admin, MEMBER], "identity.profiles": PROFILES})
    [finding] = run_check("CRM-AC-003", snapshot)
    assert (finding.status, finding.resource, finding.details["holders"]) == (Status.PASS, "organization", 0)
