"""CRM-TLS-008 certificate_expiry: days left are counted from the collection time (2026-01-01)."""

from pathlib import Path

import pytest

from crmsec.errors import Reason
from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

FIXTURES = Path(__file__).parent / "certificate_expiry"
CASES = [
    ("pass", Status.PASS, None),
    ("fail", Status.FAIL, None),
    ("missing", Status.ERROR, Reason.EVIDENCE_MISSING),
    ("warn", Status.WARN, None),
    ("expired", Status.FAIL, None),
    ("not_yet_valid", Status.FAIL, None),
    ("malformed", Status.ERROR, Reason.EVIDENCE_UNUSABLE),
]


@pytest.mark.parametrize(("case", "status", "reason"), CASES)
def test_certificate_expiry(case: str, status: Status, reason: Reason | None) -> None:
    snapshot = snapshot_from_values(FIXTURES / f"{case}.json")
    [finding] = run_check("CRM-TLS-008", snapshot)
    assert (finding.status, finding.reason) == (status, reason)


def test_thresholds_are_parameters() -> None:
    snapshot = snapshot_from_values(FIXTURES / "warn.json")  # 19 days left
    [finding] = run_check("CRM-TLS-008", snapshot, warn_days=10, fail_days=5)
    assert finding.status is Status.PASS
    [finding] = run_check("CRM-TLS-008", snapshot, warn_days=60, fail_days=20)
    assert finding.status is Status.FAIL
    assert finding.details["days_left"] == 19.0
