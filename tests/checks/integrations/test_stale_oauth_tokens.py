"""CRM-INT-007 stale_oauth_tokens: one finding per token; repeats of app/user are numbered."""

from pathlib import Path

import pytest

from crmsec.errors import Reason
from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

FIXTURES = Path(__file__).parent / "stale_oauth_tokens"
CHECK = "CRM-INT-007"


def _outcome(case: str, **params: object) -> dict[str, tuple[Status, Reason | None]]:
    findings = run_check(CHECK, snapshot_from_values(FIXTURES / f"{case}.json"), **params)
    return {finding.resource: (finding.status, finding.reason) for finding in findings}


CASES = [
    (
        "pass",
        {
            "Data_Loader_Sync/etl@example.test": (Status.PASS, None),
            "Reporting_Warehouse/bi@example.test": (Status.PASS, None),
        },
    ),
    (
        "fail",
        {
            "Data_Loader_Sync/etl@example.test": (Status.FAIL, None),
            "Marketing_Cloud_Connector/m.user@example.test": (Status.FAIL, None),
            "Data_Loader_Sync/etl@example.test#2": (Status.PASS, None),
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
def test_stale_oauth_tokens(case: str, expected: dict[str, tuple[Status, Reason | None]]) -> None:
    assert _outcome(case) == expected


def test_stale_days_is_a_parameter() -> None:
    assert _outcome("fail", stale_days=1000)["Data_Loader_Sync/etl@example.test"] == (Status.PASS, None)
