"""CRM-AC-009: toxic permission combinations."""

from pathlib import Path

import pytest

from crmsec.errors import Reason
from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

FIXTURES = Path(__file__).parent / "separation_of_duties"
CASES = [
    ("pass", [("a.admin@example.test", Status.PASS, None), ("b.admin@example.test", Status.PASS, None)]),
    (
        "fail",
        [
            *((f"admin.person{i}@example.test", Status.FAIL, None) for i in range(4)),
            ("deploy.bot@example.test", Status.FAIL, None),
            ("k.custodian@example.test", Status.FAIL, None),
        ],
    ),
    ("missing", [("organization", Status.ERROR, Reason.EVIDENCE_MISSING)]),
]


@pytest.mark.parametrize(("case", "expected"), CASES)
def test_separation_of_duties(case: str, expected: list[tuple[str, Status, Reason | None]]) -> None:
    findings = run_check("CRM-AC-009", snapshot_from_values(FIXTURES / f"{case}.json"))
    assert sorted((f.resource, f.status, f.reason) for f in findings) == expected


def test_higher_limit_passes_humans_but_not_the_integration_or_custodian() -> None:
    findings = run_check("CRM-AC-009", snapshot_from_values(FIXTURES / "fail.json"), max_full_control_users=5)
    assert {f.resource: f.status for f in findings if f.status is Status.FAIL} == {
        "deploy.bot@example.test": Status.FAIL,
        "k.custodian@example.test": Status.FAIL,
    }


MEMBER = {"username": "x@example.test", "active": True, "permissions": ["manage_users", "view_setup"]}


def test_nobody_with_a_combination_is_one_pass() -> None:
    admin = {"username": "a@example.test", "active": True, "is_admin": True, "permissions": ["modify_all_data"]}
    [finding] = run_check("CRM-AC-009", snapshot_from_values({"identity.users": [admin, MEMBER]}))
    assert (finding.status, finding.resource) == (Status.PASS, "organization")


@pytest.mark.parametrize(
    "users",
    [
        pytest.param([], id="no-users"),
        pytest.param([dict(MEMBER, active=False, is_admin=True)], id="no-active-users"),
        pytest.param([MEMBER], id="no-admin"),
    ],
)
def test_nobody_with_a_combination_in_an_org_without_users_or_admins_is_an_error(
    users: list[dict[str, object]],
) -> None:
    """ "Nobody holds one" is a PASS only when the permissions were visibly read (every org has an active admin)."""
    [finding] = run_check("CRM-AC-009", snapshot_from_values({"identity.users": users}))
    assert (finding.status, finding.reason) == (Status.ERROR, Reason.EVIDENCE_UNUSABLE)


UNREAD = {"manage_encryption_keys": "PermissionSet.PermissionsManageEncryptionKeys"}


def test_a_rule_needing_an_unread_permission_is_manual_never_passed() -> None:
    """The org has no column for manage_encryption_keys: key custody cannot pass; full control is still judged."""
    admin = {
        "username": "a@example.test",
        "active": True,
        "is_admin": True,
        "permissions": ["modify_all_data", "view_all_data"],
        "unread_permissions": UNREAD,
    }
    findings = run_check("CRM-AC-009", snapshot_from_values({"identity.users": [admin, MEMBER]}))
    assert sorted((f.resource, f.status) for f in findings) == [
        ("organization", Status.PASS),
        ("rule:key_custody_with_data_access", Status.MANUAL),
    ]
    manual = next(f for f in findings if f.status is Status.MANUAL)
    assert "PermissionSet.PermissionsManageEncryptionKeys" in manual.message
    passed = next(f for f in findings if f.status is Status.PASS)
    assert "key_custody" not in passed.message


def test_full_control_holders_are_judged_beside_an_unreadable_rule() -> None:
    users = [
        {
            "username": f"admin{i}@example.test",
            "active": True,
            "is_admin": True,
            "permissions": ["manage_users", "author_apex", "modify_all_data", "view_all_data"],
            "unread_permissions": UNREAD,
        }
        for i in range(2)
    ]
    findings = run_check("CRM-AC-009", snapshot_from_values({"identity.users": users}))
    assert sorted((f.resource, f.status) for f in findings) == [
        ("admin0@example.test", Status.PASS),
        ("admin1@example.test", Status.PASS),
        ("rule:key_custody_with_data_access", Status.MANUAL),
    ]


def test_every_rule_unreadable_gives_no_pass_at_all() -> None:
    admin = {
        "username": "a@example.test",
        "active": True,
        "is_admin": True,
        "permissions": [],
        "unread_permissions": {"modify_all_data": "PermissionSet.PermissionsModifyAllData"},
    }
    findings = run_check("CRM-AC-009", snapshot_from_values({"identity.users": [admin]}))
    assert {f.status for f in findings} == {Status.MANUAL}
    assert len(findings) == 2
