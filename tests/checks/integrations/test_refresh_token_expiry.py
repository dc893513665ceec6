"""CRM-INT-002 refresh_token_expiry: one finding per app; infinite refresh tokens FAIL."""

from pathlib import Path

import pytest

from crmsec.errors import Reason
from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

FIXTURES = Path(__file__).parent / "refresh_token_expiry"
CHECK = "CRM-INT-002"


def _outcome(case: str, **params: object) -> dict[str, tuple[Status, Reason | None]]:
    findings = run_check(CHECK, snapshot_from_values(FIXTURES / f"{case}.json"), **params)
    return {finding.resource: (finding.status, finding.reason) for finding in findings}


CASES = [
    (
        "pass",
        {
            "Reporting_Warehouse": (Status.PASS, None),
            "Data_Loader_Sync": (Status.PASS, None),
            "Support_Widget": (Status.PASS, None),
        },
    ),
    (
        "fail",
        {
            "Marketing_Cloud_Connector": (Status.FAIL, None),
            "Data_Loader_Sync": (Status.WARN, None),
        },
    ),
    (
        "missing",
        {
            "organization": (Status.ERROR, Reason.EVIDENCE_MISSING),
        },
    ),
    (
        "unknown",
        {
            "Reporting_Warehouse": (Status.MANUAL, None),
        },
    ),
    (
        "malformed",
        {
            "organization": (Status.ERROR, Reason.EVIDENCE_UNUSABLE),
        },
    ),
]


@pytest.mark.parametrize(("case", "expected"), CASES)
def test_refresh_token_expiry(case: str, expected: dict[str, tuple[Status, Reason | None]]) -> None:
    assert _outcome(case) == expected


def test_max_refresh_token_days_is_a_parameter() -> None:
    assert _outcome("fail", max_refresh_token_days=365)["Data_Loader_Sync"] == (Status.PASS, None)
