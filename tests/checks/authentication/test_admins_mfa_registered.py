"""CRM-AUTH-003: admins with a registered second factor."""

from pathlib import Path

import pytest

from crmsec.errors import Reason
from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

FIXTURES = Path(__file__).parent / "admins_mfa_registered"
CASES = [
    ("pass", [("a.admin@example.test", Status.PASS, None), ("b.admin@example.test", Status.PASS, None)]),
    (
        "fail",
        [
            ("a.admin@example.test", Status.PASS, None),
            ("b.admin@example.test", Status.FAIL, None),
            ("c.admin@example.test", Status.MANUAL, None),
        ],
    ),
    ("missing", [("organization", Status.ERROR, Reason.EVIDENCE_MISSING)]),
]


@pytest.mark.parametrize(("case", "expected"), CASES)
def test_admins_mfa_registered(case: str, expected: list[tuple[str, Status, Reason | None]]) -> None:
    findings = run_check("CRM-AUTH-003", snapshot_from_values(FIXTURES / f"{case}.json"))
    assert sorted((f.resource, f.status, f.reason) for f in findings) == expected


def test_no_human_admin_is_not_applicable() -> None:
    users = [{"username": "x@example.test", "active": True, "is_admin": False, "mfa_registered": False}]
    [finding] = run_check("CRM-AUTH-003", snapshot_from_values({"identity.users": users}))
    assert finding.status is Status.NOT_APPLICABLE


def test_non_boolean_registration_is_unusable() -> None:
    users = [{"username": "x@example.test", "active": True, "is_admin": True, "mfa_registered": "maybe"}]
    [finding] = run_check("CRM-AUTH-003", snapshot_from_values({"identity.users": users}))
    assert (finding.status, finding.reason) == (Status.ERROR, Reason.EVIDENCE_UNUSABLE)
