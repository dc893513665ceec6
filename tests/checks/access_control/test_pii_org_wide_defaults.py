"""CRM-AC-010: org-wide defaults of personal-data objects."""

from pathlib import Path

import pytest

from crmsec.errors import Reason
from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

FIXTURES = Path(__file__).parent / "pii_org_wide_defaults"
CASES = [
    ("pass", [("Contact", Status.PASS, None)]),
    ("fail", [("Account", Status.PASS, None), ("Contact", Status.FAIL, None), ("Lead", Status.WARN, None)]),
    ("missing", [("organization", Status.ERROR, Reason.EVIDENCE_MISSING)]),
]


@pytest.mark.parametrize(("case", "expected"), CASES)
def test_pii_org_wide_defaults(case: str, expected: list[tuple[str, Status, Reason | None]]) -> None:
    findings = run_check("CRM-AC-010", snapshot_from_values(FIXTURES / f"{case}.json"))
    assert sorted((f.resource, f.status, f.reason) for f in findings) == expected


def test_platform_spelling_is_understood() -> None:
    [finding] = run_check("CRM-AC-010", snapshot_from_values({"access.org_defaults": {"Lead": "ReadEditTransfer"}}))
    assert (finding.status, finding.details["org_default"]) == (Status.FAIL, "read_write")


def test_unknown_level_is_unusable() -> None:
    [finding] = run_check("CRM-AC-010", snapshot_from_values({"access.org_defaults": {"Lead": "sometimes"}}))
    assert (finding.status, finding.reason) == (Status.ERROR, Reason.EVIDENCE_UNUSABLE)


def test_no_pii_object_is_not_applicable() -> None:
    [finding] = run_check("CRM-AC-010", snapshot_from_values({"access.org_defaults": {"Product2": "read_write"}}))
    assert finding.status is Status.NOT_APPLICABLE
