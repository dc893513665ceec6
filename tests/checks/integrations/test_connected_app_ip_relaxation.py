"""CRM-INT-004 connected_app_ip_relaxation: one finding per app; relaxed IP restrictions FAIL."""

from pathlib import Path

import pytest

from crmsec.errors import Reason
from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

FIXTURES = Path(__file__).parent / "connected_app_ip_relaxation"
CHECK = "CRM-INT-004"


def _outcome(case: str, **params: object) -> dict[str, tuple[Status, Reason | None]]:
    findings = run_check(CHECK, snapshot_from_values(FIXTURES / f"{case}.json"), **params)
    return {finding.resource: (finding.status, finding.reason) for finding in findings}


CASES = [
    (
        "pass",
        {
            "Reporting_Warehouse": (Status.PASS, None),
            "Data_Loader_Sync": (Status.PASS, None),
        },
    ),
    (
        "fail",
        {
            "Marketing_Cloud_Connector": (Status.FAIL, None),
            "Data_Loader_Sync": (Status.MANUAL, None),
        },
    ),
    (
        "missing",
        {
            "organization": (Status.ERROR, Reason.EVIDENCE_MISSING),
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
def test_connected_app_ip_relaxation(case: str, expected: dict[str, tuple[Status, Reason | None]]) -> None:
    assert _outcome(case) == expected
