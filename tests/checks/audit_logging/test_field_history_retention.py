"""CRM-AUD-006 field_history_retention: field history kept min_field_history_months (18) months."""

from pathlib import Path

import pytest

from crmsec.errors import Reason
from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

FIXTURES = Path(__file__).parent / "field_history_retention"
CASES = [
    ("pass", Status.PASS, None),
    ("fail", Status.FAIL, None),
    ("missing", Status.ERROR, Reason.EVIDENCE_MISSING),
    ("disabled", Status.FAIL, None),
    ("unknown", Status.MANUAL, None),
]


@pytest.mark.parametrize(("case", "status", "reason"), CASES)
def test_field_history_retention(case: str, status: Status, reason: Reason | None) -> None:
    snapshot = snapshot_from_values(FIXTURES / f"{case}.json")
    [finding] = run_check("CRM-AUD-006", snapshot)
    assert (finding.resource, finding.status, finding.reason) == ("organization", status, reason)


def test_min_field_history_months_is_a_parameter() -> None:
    [finding] = run_check("CRM-AUD-006", snapshot_from_values(FIXTURES / "pass.json"), min_field_history_months=120)
    assert (finding.status, finding.details["limit"]) == (Status.FAIL, 120)
