"""CRM-AUTH-007: password_history."""

from pathlib import Path

import pytest

from crmsec.errors import Reason
from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

FIXTURES = Path(__file__).parent / "password_history"
CASES = [
    ("pass", Status.PASS, None),
    ("fail", Status.FAIL, None),
    ("missing", Status.ERROR, Reason.EVIDENCE_MISSING),
]


@pytest.mark.parametrize(("case", "status", "reason"), CASES)
def test_password_history(case: str, status: Status, reason: Reason | None) -> None:
    [finding] = run_check("CRM-AUTH-007", snapshot_from_values(FIXTURES / f"{case}.json"))
    assert (finding.status, finding.reason, finding.resource) == (status, reason, "organization")


def test_limit_is_a_parameter() -> None:
    [finding] = run_check("CRM-AUTH-007", snapshot_from_values(FIXTURES / "pass.json"), min_password_history=24)
    assert finding.status is Status.FAIL


def test_hidden_history_is_manual() -> None:
    values = {"auth.password_policy": {"history_count": None}}
    [finding] = run_check("CRM-AUTH-007", snapshot_from_values(values))
    assert finding.status is Status.MANUAL
