"""CRM-AUD-004 event_monitoring: on, and recording the required event types."""

from pathlib import Path

import pytest

from crmsec.errors import Reason
from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

FIXTURES = Path(__file__).parent / "event_monitoring"
CASES = [
    ("pass", Status.PASS, None),
    ("fail", Status.FAIL, None),
    ("missing", Status.ERROR, Reason.EVIDENCE_MISSING),
    ("partial", Status.WARN, None),
    ("unknown", Status.MANUAL, None),
    ("malformed", Status.ERROR, Reason.EVIDENCE_UNUSABLE),
]


@pytest.mark.parametrize(("case", "status", "reason"), CASES)
def test_event_monitoring(case: str, status: Status, reason: Reason | None) -> None:
    snapshot = snapshot_from_values(FIXTURES / f"{case}.json")
    [finding] = run_check("CRM-AUD-004", snapshot)
    assert (finding.resource, finding.status, finding.reason) == ("organization", status, reason)


def test_missing_types_are_named_and_names_compare_loosely() -> None:
    snapshot = snapshot_from_values(FIXTURES / "partial.json")  # login, api, report, URI
    [finding] = run_check("CRM-AUD-004", snapshot)
    assert finding.details["missing"] == ["Logout", "ReportExport"]
    [finding] = run_check("CRM-AUD-004", snapshot, required_event_types=["LOGIN", "Api", "uri"])
    assert finding.status is Status.PASS
