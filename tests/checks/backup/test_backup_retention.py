"""CRM-BAK-003: backup_retention (collection time 2026-01-01)."""

from pathlib import Path

import pytest

from crmsec.errors import Reason
from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

CHECK_ID = "CRM-BAK-003"
FIXTURES = Path(__file__).parent / "backup_retention"
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
def test_backup_retention(case: str, status: Status, reason: Reason | None) -> None:
    [finding] = run_check(CHECK_ID, snapshot_from_values(FIXTURES / f"{case}.json"))
    assert (finding.status, finding.reason, finding.resource) == (status, reason, "organization")


def test_unknown_facts_are_manual_never_pass() -> None:
    [finding] = run_check(CHECK_ID, snapshot_from_values({"backup.status": UNKNOWN}))
    assert finding.status is Status.MANUAL
    assert "deployment-facts file" in finding.message


def test_limit_is_a_parameter() -> None:
    [finding] = run_check(CHECK_ID, snapshot_from_values(FIXTURES / "pass.json"), min_backup_retention_days=90)
    assert (finding.status, finding.details["actual"]) == (Status.FAIL, 35)


def test_non_integer_retention_is_unusable() -> None:
    values = {"backup.status": {**UNKNOWN, "configured": True, "retention_days": "35", "source": "facts_file"}}
    [finding] = run_check(CHECK_ID, snapshot_from_values(values))
    assert (finding.status, finding.reason) == (Status.ERROR, Reason.EVIDENCE_UNUSABLE)
