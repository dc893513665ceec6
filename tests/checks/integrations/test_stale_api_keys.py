"""CRM-INT-006 stale_api_keys: one finding per active key; idle days counted from the collection time."""

from pathlib import Path

import pytest

from crmsec.errors import Reason
from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

FIXTURES = Path(__file__).parent / "stale_api_keys"
CHECK = "CRM-INT-006"


def _outcome(case: str, **params: object) -> dict[str, tuple[Status, Reason | None]]:
    findings = run_check(CHECK, snapshot_from_values(FIXTURES / f"{case}.json"), **params)
    return {finding.resource: (finding.status, finding.reason) for finding in findings}


CASES = [
    (
        "pass",
        {
            "erp-sync": (Status.PASS, None),
            "new-key": (Status.PASS, None),
        },
    ),
    (
        "fail",
        {
            "legacy-export": (Status.FAIL, None),
            "never-used": (Status.FAIL, None),
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
            "mystery": (Status.MANUAL, None),
        },
    ),
]


@pytest.mark.parametrize(("case", "expected"), CASES)
def test_stale_api_keys(case: str, expected: dict[str, tuple[Status, Reason | None]]) -> None:
    assert _outcome(case) == expected


def test_stale_days_is_a_parameter() -> None:
    outcome = _outcome("fail", stale_days=400)
    assert outcome == {"legacy-export": (Status.PASS, None), "never-used": (Status.PASS, None)}
