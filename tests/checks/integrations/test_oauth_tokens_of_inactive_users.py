"""CRM-INT-009 oauth_tokens_of_inactive_users: one finding per app and user holding tokens."""

from pathlib import Path

import pytest

from crmsec.errors import Reason
from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

FIXTURES = Path(__file__).parent / "oauth_tokens_of_inactive_users"
CHECK = "CRM-INT-009"


def _outcome(case: str, **params: object) -> dict[str, tuple[Status, Reason | None]]:
    findings = run_check(CHECK, snapshot_from_values(FIXTURES / f"{case}.json"), **params)
    return {finding.resource: (finding.status, finding.reason) for finding in findings}


CASES = [
    (
        "pass",
        {
            "Data_Loader_Sync/etl@example.test": (Status.PASS, None),
            "Reporting_Warehouse/005Lb0000000000003": (Status.PASS, None),
        },
    ),
    (
        "fail",
        {
            "Data_Loader_Sync/etl@example.test": (Status.PASS, None),
            "Marketing_Cloud_Connector/leaver@example.test": (Status.FAIL, None),
            "Reporting_Warehouse/005Lb0000000000099": (Status.WARN, None),
        },
    ),
    (
        "missing",
        {
            "organization": (Status.ERROR, Reason.EVIDENCE_MISSING),
        },
    ),
    (
        "none",
        {
            "organization": (Status.NOT_APPLICABLE, None),
        },
    ),
]


@pytest.mark.parametrize(("case", "expected"), CASES)
def test_oauth_tokens_of_inactive_users(case: str, expected: dict[str, tuple[Status, Reason | None]]) -> None:
    assert _outcome(case) == expected
