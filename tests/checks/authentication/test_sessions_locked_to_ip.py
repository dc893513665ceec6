"""CRM-AUTH-011: sessions_locked_to_ip."""

from pathlib import Path

import pytest

from crmsec.errors import Reason
from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

CHECK_ID = "CRM-AUTH-011"
SETTING = "lock_sessions_to_ip"
FIXTURES = Path(__file__).parent / "sessions_locked_to_ip"
CASES = [
    ("pass", Status.PASS, None),
    ("fail", Status.WARN, None),
    ("missing", Status.ERROR, Reason.PERMISSION_DENIED),
]


@pytest.mark.parametrize(("case", "status", "reason"), CASES)
def test_sessions_locked_to_ip(case: str, status: Status, reason: Reason | None) -> None:
    [finding] = run_check("CRM-AUTH-011", snapshot_from_values(FIXTURES / f"{case}.json"))
    assert (finding.status, finding.reason, finding.resource) == (status, reason, "organization")


def test_null_setting_is_manual() -> None:
    values = {"auth.session_settings": {SETTING: None}}
    [finding] = run_check(CHECK_ID, snapshot_from_values(values))
    assert finding.status is Status.MANUAL


def test_absent_or_non_boolean_setting_is_unusable() -> None:
    for settings in ({}, {SETTING: "yes"}):
        [finding] = run_check(CHECK_ID, snapshot_from_values({"auth.session_settings": settings}))
        assert (finding.status, finding.reason) == (Status.ERROR, Reason.EVIDENCE_UNUSABLE)
