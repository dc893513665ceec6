"""CRM-INT-008 integration_user_admin: one finding per active integration user."""

from pathlib import Path

import pytest

from crmsec.errors import Reason
from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

FIXTURES = Path(__file__).parent / "integration_user_admin"
CHECK = "CRM-INT-008"


def _outcome(case: str, **params: object) -> dict[str, tuple[Status, Reason | None]]:
    findings = run_check(CHECK, snapshot_from_values(FIXTURES / f"{case}.json"), **params)
    return {finding.resource: (finding.status, finding.reason) for finding in findings}


CASES = [
    (
        "pass",
        {
            "etl@example.test": (Status.PASS, None),
        },
    ),
    (
        "fail",
        {
            "etl@example.test": (Status.FAIL, None),
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
def test_integration_user_admin(case: str, expected: dict[str, tuple[Status, Reason | None]]) -> None:
    assert _outcome(case) == expected
