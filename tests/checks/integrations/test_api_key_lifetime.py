"""CRM-INT-005 api_key_lifetime: one finding per active key; days counted from the collection time (2026-01-01)."""

from pathlib import Path

import pytest

from crmsec.errors import Reason
from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

FIXTURES = Path(__file__).parent / "api_key_lifetime"
CHECK = "CRM-INT-005"


def _outcome(case: str, **params: object) -> dict[str, tuple[Status, Reason | None]]:
    findings = run_check(CHECK, snapshot_from_values(FIXTURES / f"{case}.json"), **params)
    return {finding.resource: (finding.status, finding.reason) for finding in findings}


CASES = [
    (
        "pass",
        {
            "erp-sync": (Status.PASS, None),
        },
    ),
    (
        "fail",
        {
            "legacy-export": (Status.FAIL, None),
            "bi-reader": (Status.FAIL, None),
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
    (
        "malformed",
        {
            "organization": (Status.ERROR, Reason.EVIDENCE_UNUSABLE),
        },
    ),
]


@pytest.mark.parametrize(("case", "expected"), CASES)
def test_api_key_lifetime(case: str, expected: dict[str, tuple[Status, Reason | None]]) -> None:
    assert _outcome(case) == expected


def test_max_api_key_lifetime_days_is_a_parameter() -> None:
    outcome = _outcome("fail", max_api_key_lifetime_days=1200)
    assert outcome == {"legacy-export": (Status.FAIL, None), "bi-reader": (Status.PASS, None)}
    findings = run_check(CHECK, snapshot_from_values(FIXTURES / "fail.json"))
    assert findings[1].details["days_left"] == 1096
