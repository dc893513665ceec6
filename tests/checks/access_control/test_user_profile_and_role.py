"""CRM-AC-005: profile and role assignment."""

from pathlib import Path

import pytest

from crmsec.errors import Reason
from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

FIXTURES = Path(__file__).parent / "user_profile_and_role"
CASES = [
    (
        "pass",
        [
            ("a.admin@example.test", Status.PASS, None),
            ("rep00@example.test", Status.PASS, None),
            ("sync.integration@example.test", Status.PASS, None),
        ],
    ),
    (
        "fail",
        [
            ("p.none@example.test", Status.FAIL, None),
            ("r.none@example.test", Status.WARN, None),
            ("rep00@example.test", Status.PASS, None),
            ("sync.integration@example.test", Status.PASS, None),
        ],
    ),
    ("missing", [("organization", Status.ERROR, Reason.EVIDENCE_MISSING)]),
]


@pytest.mark.parametrize(("case", "expected"), CASES)
def test_user_profile_and_role(case: str, expected: list[tuple[str, Status, Reason | None]]) -> None:
    findings = run_check("CRM-AC-005", snapshot_from_values(FIXTURES / f"{case}.json"))
    assert sorted((f.resource, f.status, f.reason) for f in findings) == expected


def test_missing_role_is_fine_when_the_org_uses_no_roles() -> None:
    users = [{"username": "x@example.test", "active": True, "user_type": "standard", "profile": "Sales",
              "role": None}]  # fmt: skip
    [finding] = run_check("CRM-AC-005", snapshot_from_values({"identity.users": users}))
    assert finding.status is Status.PASS
