"""CRM-AUD-002 setup_audit_trail: on, and kept min_audit_retention_days (180) days."""

from pathlib import Path

import pytest

from crmsec.errors import Reason
from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

FIXTURES = Path(__file__).parent / "setup_audit_trail"
CASES = [
    ("pass", Status.PASS, None),
    ("fail", Status.FAIL, None),
    ("missing", Status.ERROR, Reason.EVIDENCE_MISSING),
    ("disabled", Status.FAIL, None),
    ("unknown", Status.MANUAL, None),
    ("malformed", Status.ERROR, Reason.EVIDENCE_UNUSABLE),
]


@pytest.mark.parametrize(("case", "status", "reason"), CASES)
def test_setup_audit_trail(case: str, status: Status, reason: Reason | None) -> None:
    snapshot = snapshot_from_values(FIXTURES / f"{case}.json")
    [finding] = run_check("CRM-AUD-002", snapshot)
    assert (finding.resource, finding.status, finding.reason) == ("organization", status, reason)


def test_min_audit_retention_days_is_a_parameter() -> None:
    snapshot = snapshot_from_values(FIXTURES / "fail.json")  # 30 days
    [finding] = run_check("CRM-AUD-002", snapshot, min_audit_retention_days=30)
    assert finding.status is Status.PASS
    assert finding.details == {"enabled": True, "retention_days": 30, "limit": 30}
