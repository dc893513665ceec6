"""CRM-AUD-003 login_history: recorded, kept min_login_history_days (180) days, and not empty."""

from pathlib import Path

import pytest

from crmsec.errors import Reason
from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

FIXTURES = Path(__file__).parent / "login_history"
CASES = [
    ("pass", Status.PASS, None),
    ("fail", Status.FAIL, None),
    ("missing", Status.ERROR, Reason.EVIDENCE_MISSING),
    ("denied", Status.ERROR, Reason.PERMISSION_DENIED),
    ("short", Status.FAIL, None),
    ("empty", Status.WARN, None),
    ("unknown", Status.MANUAL, None),
]


@pytest.mark.parametrize(("case", "status", "reason"), CASES)
def test_login_history(case: str, status: Status, reason: Reason | None) -> None:
    snapshot = snapshot_from_values(FIXTURES / f"{case}.json")
    [finding] = run_check("CRM-AUD-003", snapshot)
    assert (finding.resource, finding.status, finding.reason) == ("organization", status, reason)


def test_min_login_history_days_is_a_parameter() -> None:
    [finding] = run_check("CRM-AUD-003", snapshot_from_values(FIXTURES / "short.json"), min_login_history_days=90)
    assert finding.status is Status.PASS
