"""CRM-AUTH-005: password_min_length."""

from pathlib import Path

import pytest

from crmsec.errors import Reason
from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

FIXTURES = Path(__file__).parent / "password_min_length"
CASES = [
    ("pass", Status.PASS, None),
    ("fail", Status.FAIL, None),
    ("missing", Status.ERROR, Reason.EVIDENCE_MISSING),
]


@pytest.mark.parametrize(("case", "status", "reason"), CASES)
def test_password_min_length(case: str, status: Status, reason: Reason | None) -> None:
    [finding] = run_check("CRM-AUTH-005", snapshot_from_values(FIXTURES / f"{case}.json"))
    assert (finding.status, finding.reason, finding.resource) == (status, reason, "organization")


def test_limit_is_a_parameter() -> None:
    [finding] = run_check("CRM-AUTH-005", snapshot_from_values(FIXTURES / "pass.json"), min_password_length=16)
    assert (finding.status, finding.details) == (Status.FAIL, {"actual": 14, "limit": 16})


def test_hidden_length_is_manual() -> None:
    [finding] = run_check("CRM-AUTH-005", snapshot_from_values({"auth.password_policy": {"min_length": None}}))
    assert finding.status is Status.MANUAL


def test_absent_length_is_unusable() -> None:
    [finding] = run_check("CRM-AUTH-005", snapshot_from_values({"auth.password_policy": {}}))
    assert (finding.status, finding.reason) == (Status.ERROR, Reason.EVIDENCE_UNUSABLE)
