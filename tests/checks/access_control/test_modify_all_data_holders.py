"""CRM-AC-002: Modify All Data only through admin profiles."""

from pathlib import Path

import pytest

from crmsec.errors import Reason
from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

FIXTURES = Path(__file__).parent / "modify_all_data_holders"
CASES = [
    ("pass", [("a.admin@example.test", Status.PASS, None)]),
    ("fail", [("a.admin@example.test", Status.PASS, None), ("d.fixer@example.test", Status.FAIL, None)]),
    ("missing", [("organization", Status.ERROR, Reason.EVIDENCE_MISSING)]),
]


@pytest.mark.parametrize(("case", "expected"), CASES)
def test_modify_all_data_holders(case: str, expected: list[tuple[str, Status, Reason | None]]) -> None:
    findings = run_check("CRM-AC-002", snapshot_from_values(FIXTURES / f"{case}.json"))
    assert sorted((f.resource, f.status, f.reason) for f in findings) == expected


def test_no_holder_is_one_organization_pass() -> None:
    values = {
        "identity.users": [{"username": "x@example.test", "active": True, "permissions": ["api_enabled"]}],
        "identity.profiles": [],
    }
    [finding] = run_check("CRM-AC-002", snapshot_from_values(values))
    assert (finding.status, finding.resource) == (Status.PASS, "organization")


def test_inactive_holder_is_ignored() -> None:
    values = {
        "identity.users": [{"username": "x@example.test", "active": False, "permissions": ["modify_all_data"]}],
        "identity.profiles": [],
    }
    [finding] = run_check("CRM-AC-002", snapshot_from_values(values))
    assert (finding.status, finding.details["holders"]) == (Status.PASS, 0)


def test_user_without_permissions_list_is_unusable() -> None:
    values = {"identity.users": [{"username": "x@example.test", "active": True}], "identity.profiles": []}
    [finding] = run_check("CRM-AC-002", snapshot_from_values(values))
    assert (finding.status, finding.reason) == (Status.ERROR, Reason.EVIDENCE_UNUSABLE)
