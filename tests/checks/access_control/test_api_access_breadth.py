"""CRM-AC-008: breadth of API access grants."""

from pathlib import Path

import pytest

from crmsec.errors import Reason
from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

FIXTURES = Path(__file__).parent / "api_access_breadth"
CASES = [
    ("pass", [("permission_set:API_Integration", Status.PASS, None)]),
    (
        "fail",
        [
            ("permission_set:API_All", Status.FAIL, None),
            ("permission_set:API_Integration", Status.PASS, None),
            ("profile:Partner Ops", Status.PASS, None),
            ("profile:Standard User", Status.FAIL, None),
        ],
    ),
    ("missing", [("organization", Status.ERROR, Reason.EVIDENCE_MISSING)]),
]


@pytest.mark.parametrize(("case", "expected"), CASES)
def test_api_access_breadth(case: str, expected: list[tuple[str, Status, Reason | None]]) -> None:
    findings = run_check("CRM-AC-008", snapshot_from_values(FIXTURES / f"{case}.json"))
    assert sorted((f.resource, f.status, f.reason) for f in findings) == expected


def test_permission_sets_are_optional() -> None:
    values = {"identity.profiles": [{"name": "Admin", "is_admin": True, "permissions": ["api_enabled"]}]}
    [finding] = run_check("CRM-AC-008", snapshot_from_values(values))
    assert (finding.status, finding.resource) == (Status.PASS, "organization")


def test_limit_is_a_parameter() -> None:
    findings = run_check("CRM-AC-008", snapshot_from_values(FIXTURES / "fail.json"), max_api_assignees=1)
    assert {f.resource: f.status for f in findings}["profile:Partner Ops"] is Status.FAIL
