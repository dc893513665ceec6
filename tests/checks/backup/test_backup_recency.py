"""CRM-BAK-002: backup_recency (collection time 2026-01-01)."""

from pathlib import Path

import pytest

from crmsec.errors import Reason
from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

CHECK_ID = "CRM-BAK-002"
FIXTURES = Path(__file__).parent / "backup_recency"
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
def test_backup_recency(case: str, status: Status, reason: Reason | None) -> None:
    [finding] = run_check(CHECK_ID, snapshot_from_values(FIXTURES / f"{case}.json"))
    assert (finding.status, finding.reason, finding.resource) == (status, reason, "organization")


def test_unknown_facts_are_manual_never_pass() -> None:
    [finding] = run_check(CHECK_ID, snapshot_from_values({"backup.status": UNKNOWN}))
    assert finding.status is Status.MANUAL
    assert "deployment-facts file" in finding.message


def test_age_in_hours_from_collection_time() -> None:
    [finding] = run_check(CHECK_ID, snapshot_from_values(FIXTURES / "pass.json"))
    assert finding.details["age_hours"] == 21.8


def test_stricter_rpo_fails_the_same_backup() -> None:
    [finding] = run_check(CHECK_ID, snapshot_from_values(FIXTURES / "pass.json"), max_backup_age_hours=12)
    assert finding.status is Status.FAIL


def test_no_backup_configured_fails() -> None:
    values = {"backup.status": {**UNKNOWN, "configured": False, "source": "facts_file"}}
    [finding] = run_check(CHECK_ID, snapshot_from_values(values))
    assert finding.status is Status.FAIL


def test_backup_from_the_future_is_unusable() -> None:
    values = {"backup.status": {**UNKNOWN, "configured": True, "last_success_at": "2026-02-01T00:00:00Z",
                                "source": "facts_file"}}  # fmt: skip
    [finding] = run_check(CHECK_ID, snapshot_from_values(values))
    assert (finding.status, finding.reason) == (Status.ERROR, Reason.EVIDENCE_UNUSABLE)
