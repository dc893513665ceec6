"""CRM-AUD-007 event_log_retention: event logs kept min_event_log_retention_days (30) days."""

from pathlib import Path

import pytest

from crmsec.errors import Reason
from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

FIXTURES = Path(__file__).parent / "event_log_retention"
CASES = [
    ("pass", Status.PASS, None),
    ("fail", Status.FAIL, None),
    ("missing", Status.ERROR, Reason.EVIDENCE_MISSING),
    ("disabled", Status.NOT_APPLICABLE, None),
    ("unknown", Status.MANUAL, None),
]


@pytest.mark.parametrize(("case", "status", "reason"), CASES)
def test_event_log_retention(case: str, status: Status, reason: Reason | None) -> None:
    snapshot = snapshot_from_values(FIXTURES / f"{case}.json")
    [finding] = run_check("CRM-AUD-007", snapshot)
    assert (finding.resource, finding.status, finding.reason) == ("organization", status, reason)


def test_min_event_log_retention_days_is_a_parameter() -> None:
    [finding] = run_check("CRM-AUD-007", snapshot_from_values(FIXTURES / "pass.json"), min_event_log_retention_days=365)
    assert finding.status is Status.FAIL
