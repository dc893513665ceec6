"""CRM-CFG-100 health_check_risks: one finding per Health Check setting, nothing dropped."""

from pathlib import Path

import pytest

from crmsec.errors import Reason
from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

FIXTURES = Path(__file__).parent / "health_check_risks"
CHECK = "CRM-CFG-100"


def _outcome(case: str) -> list[tuple[str, Status, Reason | None]]:
    findings = run_check(CHECK, snapshot_from_values(FIXTURES / f"{case}.json"))
    return [(finding.resource, finding.status, finding.reason) for finding in findings]


def test_settings_meeting_the_standard_pass() -> None:
    assert _outcome("pass") == [
        ("Minimum password length", Status.PASS, None),
        ("Maximum invalid login attempts", Status.PASS, None),
        ("Require HttpOnly attribute", Status.PASS, None),
    ]


def test_high_risk_fails_and_medium_risk_warns() -> None:
    assert _outcome("fail") == [
        ("Minimum password length", Status.WARN, None),
        ("Maximum invalid login attempts", Status.FAIL, None),
        ("Require secure connections (HTTPS)", Status.PASS, None),
        ("Timeout value", Status.WARN, None),
    ]


def test_details_carry_the_salesforce_row() -> None:
    findings = run_check(CHECK, snapshot_from_values(FIXTURES / "fail.json"))
    assert findings[1].details == {
        "group": "Password Policies",
        "risk_type": "HIGH_RISK",
        "category": "HIGH_RISK",
        "org_value": "No limit",
        "standard_value": "3",
    }


def test_unknown_ratings_need_a_human_and_repeated_settings_stay_distinct() -> None:
    assert _outcome("odd") == [
        ("Session Settings: Timeout value", Status.MANUAL, None),
        ("Custom Session Settings: Timeout value", Status.MANUAL, None),
    ]


@pytest.mark.parametrize(
    ("case", "status", "reason"),
    [
        ("missing", Status.ERROR, Reason.EVIDENCE_MISSING),
        ("empty", Status.MANUAL, None),
        ("malformed", Status.ERROR, Reason.EVIDENCE_UNUSABLE),
    ],
)
def test_single_finding_cases(case: str, status: Status, reason: Reason | None) -> None:
    assert _outcome(case) == [("organization", status, reason)]


def test_other_platforms_are_not_applicable() -> None:
    snapshot = snapshot_from_values(FIXTURES / "fail.json", platform="bottlecrm")
    [finding] = run_check(CHECK, snapshot)
    assert finding.status is Status.NOT_APPLICABLE
