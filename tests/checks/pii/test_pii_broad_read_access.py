"""CRM-PII-003 pii_broad_read_access: one finding per PII object."""

from pathlib import Path

import pytest

from crmsec.errors import Reason
from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

FIXTURES = Path(__file__).parent / "pii_broad_read_access"
CHECK = "CRM-PII-003"
CASES = [
    ("pass", Status.PASS, None),
    ("fail", Status.FAIL, None),
    ("missing", Status.ERROR, Reason.EVIDENCE_MISSING),
    ("broad", Status.WARN, None),
    ("no_profiles", Status.MANUAL, None),
]


@pytest.mark.parametrize(("case", "status", "reason"), CASES)
def test_pii_broad_read_access(case: str, status: Status, reason: Reason | None) -> None:
    [finding] = run_check(CHECK, snapshot_from_values(FIXTURES / f"{case}.json"))
    assert (finding.resource, finding.status, finding.reason) == (
        "organization" if reason else "Contact",
        status,
        reason,
    )


def test_guest_reading_a_non_pii_object_is_ignored() -> None:
    # The guest profile reads Account in every fixture; Account holds no PII, so it never shows up.
    findings = run_check(CHECK, snapshot_from_values(FIXTURES / "pass.json"))
    assert [finding.resource for finding in findings] == ["Contact"]


def test_max_profile_users_is_a_parameter() -> None:
    snapshot = snapshot_from_values(FIXTURES / "broad.json")  # Sales has 900 users
    [finding] = run_check(CHECK, snapshot, max_profile_users=1000)
    assert finding.status is Status.PASS
    [finding] = run_check(CHECK, snapshot_from_values(FIXTURES / "pass.json"), max_profile_users=10)
    assert (finding.status, finding.details["broad_profiles"]) == (Status.WARN, {"Sales": 40})


def test_permission_sets_count_by_their_assignees() -> None:
    # Data_Steward (a permission set with 2 assignees) reads Contact: without the sets its size is unknown.
    [finding] = run_check(CHECK, snapshot_from_values(FIXTURES / "no_sets.json"))
    assert (finding.status, finding.details["profiles_of_unknown_size"]) == (Status.MANUAL, ["Data_Steward"])
