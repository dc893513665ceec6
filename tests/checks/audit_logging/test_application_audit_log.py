"""CRM-AUD-005 application_audit_log: a self-hosted audit log that is on, retained and recording."""

from pathlib import Path

import pytest

from crmsec.errors import Reason
from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

FIXTURES = Path(__file__).parent / "application_audit_log"
CASES = [
    ("pass", Status.PASS, None),
    ("fail", Status.FAIL, None),
    ("missing", Status.ERROR, Reason.EVIDENCE_MISSING),
    ("not_applicable", Status.NOT_APPLICABLE, None),
    ("short", Status.FAIL, None),
    ("silent", Status.WARN, None),
    ("unknown", Status.MANUAL, None),
]


@pytest.mark.parametrize(("case", "status", "reason"), CASES)
def test_application_audit_log(case: str, status: Status, reason: Reason | None) -> None:
    snapshot = snapshot_from_values(FIXTURES / f"{case}.json")
    [finding] = run_check("CRM-AUD-005", snapshot)
    assert (finding.resource, finding.status, finding.reason) == ("organization", status, reason)


def test_min_audit_retention_days_is_a_parameter() -> None:
    [finding] = run_check("CRM-AUD-005", snapshot_from_values(FIXTURES / "short.json"), min_audit_retention_days=7)
    assert finding.status is Status.PASS
