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
    assert finding.details["age_hours"] == 21.7  # 21.75 h, a PASS: rounded down, towards the verdict
    assert finding.message == "The last successful backup is 21.7 hours old (RPO 24 hours)."


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


@pytest.mark.parametrize(
    ("last_success_at", "status", "age"),
    [
        ("2025-12-30T23:36:00Z", Status.FAIL, "24.4"),  # 24.4 h: used to read "24 hours old (RPO 24 hours)"
        ("2025-12-31T00:24:00Z", Status.PASS, "23.6"),  # 23.6 h: read "24 hours old" too, yet passed
        ("2025-12-30T23:57:36Z", Status.FAIL, "24.1"),  # 24.04 h: one decimal rounds up for a FAIL, never 24.0
        ("2025-12-31T00:02:24Z", Status.PASS, "23.9"),  # 23.96 h: and down for a PASS, never 24.0
        ("2025-12-31T00:00:00Z", Status.PASS, "24.0"),  # exactly the RPO passes
    ],
)
def test_the_printed_age_agrees_with_the_verdict(last_success_at: str, status: Status, age: str) -> None:
    facts = {**UNKNOWN, "configured": True, "last_success_at": last_success_at, "source": "facts_file"}
    snapshot = snapshot_from_values({"backup.status": facts}, collected_at="2026-01-01T00:00:00Z")
    [finding] = run_check(CHECK_ID, snapshot, max_backup_age_hours=24)
    assert finding.status is status
    assert finding.message == f"The last successful backup is {age} hours old (RPO 24 hours)."
    assert finding.details["age_hours"] == float(age)
    shown = float(age)
    assert shown <= 24 if status is Status.PASS else shown > 24
