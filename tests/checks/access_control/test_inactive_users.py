"""CRM-AC-004: dormant active accounts (collection time 2026-01-01)."""

from pathlib import Path

import pytest

from crmsec.errors import Reason
from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

FIXTURES = Path(__file__).parent / "inactive_users"
CASES = [
    (
        "pass",
        [
            ("a.admin@example.test", Status.PASS, None),
            ("g.active@example.test", Status.PASS, None),
            ("n.hire@example.test", Status.PASS, None),
        ],
    ),
    (
        "fail",
        [
            ("g.active@example.test", Status.PASS, None),
            ("n.never@example.test", Status.FAIL, None),
            ("s.dormant@example.test", Status.FAIL, None),
        ],
    ),
    ("missing", [("organization", Status.ERROR, Reason.EVIDENCE_MISSING)]),
]


@pytest.mark.parametrize(("case", "expected"), CASES)
def test_inactive_users(case: str, expected: list[tuple[str, Status, Reason | None]]) -> None:
    findings = run_check("CRM-AC-004", snapshot_from_values(FIXTURES / f"{case}.json"))
    assert sorted((f.resource, f.status, f.reason) for f in findings) == expected


def test_longer_limit_passes_everyone() -> None:
    findings = run_check("CRM-AC-004", snapshot_from_values(FIXTURES / "fail.json"), inactive_days=400)
    assert {f.status for f in findings} == {Status.PASS}


def test_idle_days_are_measured_from_collection_time() -> None:
    findings = run_check("CRM-AC-004", snapshot_from_values(FIXTURES / "fail.json"))
    assert {f.resource: f.details["idle_days"] for f in findings}["s.dormant@example.test"] == 213


def test_user_without_any_timestamp_is_manual() -> None:
    users = [{"username": "x@example.test", "active": True, "user_type": "standard", "last_login_at": None,
              "created_at": None}]  # fmt: skip
    [finding] = run_check("CRM-AC-004", snapshot_from_values({"identity.users": users}))
    assert finding.status is Status.MANUAL


def test_malformed_timestamp_is_unusable() -> None:
    users = [{"username": "x@example.test", "active": True, "user_type": "standard", "last_login_at": "yesterday"}]
    [finding] = run_check("CRM-AC-004", snapshot_from_values({"identity.users": users}))
    assert (finding.status, finding.reason) == (Status.ERROR, Reason.EVIDENCE_UNUSABLE)
