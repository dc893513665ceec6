"""CRM-AUTH-001: mfa_enforced_for_all."""

from pathlib import Path

import pytest

from crmsec.errors import Reason
from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

FIXTURES = Path(__file__).parent / "mfa_enforced_for_all"
CASES = [
    ("pass", Status.PASS, None),
    ("fail", Status.FAIL, None),
    ("missing", Status.ERROR, Reason.EVIDENCE_MISSING),
]


@pytest.mark.parametrize(("case", "status", "reason"), CASES)
def test_mfa_enforced_for_all(case: str, status: Status, reason: Reason | None) -> None:
    [finding] = run_check("CRM-AUTH-001", snapshot_from_values(FIXTURES / f"{case}.json"))
    assert (finding.status, finding.reason, finding.resource) == (status, reason, "organization")


def test_unknown_enforcement_is_manual_and_names_the_idp() -> None:
    values = {"auth.mfa": {"enforced_for_all": None, "enforced_for_admins": None, "enforcement": "idp"}}
    [finding] = run_check("CRM-AUTH-001", snapshot_from_values(values))
    assert finding.status is Status.MANUAL
    assert "identity provider" in finding.message


def test_non_boolean_is_unusable() -> None:
    [finding] = run_check("CRM-AUTH-001", snapshot_from_values({"auth.mfa": {"enforced_for_all": "yes"}}))
    assert (finding.status, finding.reason) == (Status.ERROR, Reason.EVIDENCE_UNUSABLE)
