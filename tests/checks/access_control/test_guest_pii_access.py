"""CRM-AC-007: guest access to objects holding personal data."""

from pathlib import Path

import pytest

from crmsec.errors import Reason
from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

FIXTURES = Path(__file__).parent / "guest_pii_access"
CASES = [
    ("pass", [("organization", Status.PASS, None)]),
    ("fail", [("Guest Site Profile/Contact", Status.FAIL, None)]),
    ("missing", [("organization", Status.ERROR, Reason.EVIDENCE_MISSING)]),
]


@pytest.mark.parametrize(("case", "expected"), CASES)
def test_guest_pii_access(case: str, expected: list[tuple[str, Status, Reason | None]]) -> None:
    findings = run_check("CRM-AC-007", snapshot_from_values(FIXTURES / f"{case}.json"))
    assert sorted((f.resource, f.status, f.reason) for f in findings) == expected


def test_fail_lists_the_rights() -> None:
    [finding] = run_check("CRM-AC-007", snapshot_from_values(FIXTURES / "fail.json"))
    assert finding.details["rights"] == ["read", "edit"]


def test_without_samples_well_known_objects_are_assumed_and_said_so() -> None:
    row = {"profile": "Guest", "user_type": "guest", "object": "Lead", "read": True}
    [finding] = run_check("CRM-AC-007", snapshot_from_values({"access.object_permissions": [row]}))
    assert finding.status is Status.FAIL
    assert "data.samples was not collected" in finding.details["pii_basis"]


def test_samples_without_detections_clear_a_well_known_object() -> None:
    row = {"profile": "Guest", "user_type": "guest", "object": "Lead", "read": True}
    sample = {"object": "Lead", "field": "Company", "sampled": 10, "non_empty": 10, "detections": {}}
    values = {"access.object_permissions": [row], "data.samples": [sample]}
    [finding] = run_check("CRM-AC-007", snapshot_from_values(values))
    assert finding.status is Status.PASS
