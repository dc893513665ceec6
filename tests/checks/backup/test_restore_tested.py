"""CRM-BAK-004: restore_tested (collection time 2026-01-01)."""

from pathlib import Path

import pytest

from crmsec.errors import Reason
from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

CHECK_ID = "CRM-BAK-004"
FIXTURES = Path(__file__).parent / "restore_tested"
CASES = [("pass", Status.PASS, None), ("fail", Status.FAIL, None), ("missing", Status.ERROR, Reason.EVIDENCE_MISSING)]
UNKNOWN = {
    "configured": None,
    "schedule": None,
    "last_success_at": None,
    "retention_days": None,
    "last_restore_test_at": None,
    "encrypted": None,
    "source": "unknown",
}


@pytest.mark.parametrize(("case", "status", "reason"), CASES)
def test_restore_tested(case: str, status: Status, reason: Reason | None) -> None:
    [finding] = run_check(CHECK_ID, snapshot_from_values(FIXTURES / f"{case}.json"))
    assert (finding.status, finding.reason, finding.resource) == (status, reason, "organization")


def test_unknown_facts_are_manual_never_pass() -> None:
    [finding] = run_check(CHECK_ID, snapshot_from_values({"backup.status": UNKNOWN}))
    assert finding.status is Status.MANUAL
    assert "deployment-facts file" in finding.message


def test_old_restore_test_fails() -> None:
    [finding] = run_check(CHECK_ID, snapshot_from_values(FIXTURES / "pass.json"), max_restore_test_age_days=30)
    assert (finding.status, finding.details["age_days"]) == (Status.FAIL, 91)


def test_restore_date_without_known_configuration_is_manual() -> None:
    values = {"backup.status": {**UNKNOWN, "source": "facts_file", "last_restore_test_at": "2025-12-01T00:00:00Z"}}
    [finding] = run_check(CHECK_ID, snapshot_from_values(values))
    assert finding.status is Status.MANUAL
