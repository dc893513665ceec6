"""CRM-AUTH-010: password_expiration."""

from pathlib import Path

import pytest

from crmsec.errors import Reason
from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

FIXTURES = Path(__file__).parent / "password_expiration"
CASES = [
    ("pass", Status.PASS, None),
    ("fail", Status.FAIL, None),
    ("missing", Status.ERROR, Reason.EVIDENCE_MISSING),
]


@pytest.mark.parametrize(("case", "status", "reason"), CASES)
def test_password_expiration(case: str, status: Status, reason: Reason | None) -> None:
    [finding] = run_check("CRM-AUTH-010", snapshot_from_values(FIXTURES / f"{case}.json"))
    assert (finding.status, finding.reason, finding.resource) == (status, reason, "organization")


def test_any_expiry_period_passes_without_mfa() -> None:
    values = {"auth.password_policy": {"expiration_days": 365}, "auth.mfa": {"enforced_for_all": False}}
    [finding] = run_check("CRM-AUTH-010", snapshot_from_values(values))
    assert finding.status is Status.PASS


def test_never_expiring_without_mfa_evidence_is_manual() -> None:
    [finding] = run_check("CRM-AUTH-010", snapshot_from_values({"auth.password_policy": {"expiration_days": 0}}))
    assert finding.status is Status.MANUAL
