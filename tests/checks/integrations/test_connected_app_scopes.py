"""CRM-INT-001 connected_app_scopes: one finding per app; full/web FAIL, api + refresh_token WARN."""

from pathlib import Path

import pytest

from crmsec.errors import Reason
from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

FIXTURES = Path(__file__).parent / "connected_app_scopes"
CHECK = "CRM-INT-001"


def _outcome(case: str, **params: object) -> dict[str, tuple[Status, Reason | None]]:
    findings = run_check(CHECK, snapshot_from_values(FIXTURES / f"{case}.json"), **params)
    return {finding.resource: (finding.status, finding.reason) for finding in findings}


CASES = [
    (
        "pass",
        {
            "Reporting_Warehouse": (Status.PASS, None),
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
        "none",
        {
            "organization": (Status.NOT_APPLICABLE, None),
        },
    ),
]


@pytest.mark.parametrize(("case", "expected"), CASES)
def test_connected_app_scopes(case: str, expected: dict[str, tuple[Status, Reason | None]]) -> None:
    assert _outcome(case) == expected


def test_risky_sets_are_parameters() -> None:
    assert _outcome("fail", risky_scopes=["chatter_api"], risky_scope_combinations=[]) == {
        "Marketing_Cloud_Connector": (Status.PASS, None),
        "Data_Loader_Sync": (Status.PASS, None),
    }
    assert _outcome("pass", risky_scopes=["OpenID"])["Support_Widget"] == (Status.FAIL, None)
