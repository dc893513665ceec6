"""CRM-AC-011: object-level View All / Modify All outside admin profiles."""

from pathlib import Path

import pytest

from crmsec.errors import Reason
from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

FIXTURES = Path(__file__).parent / "object_wide_access"
CASES = [
    ("pass", [("organization", Status.PASS, None)]),
    (
        "fail",
        [
            ("Integration/Account", Status.WARN, None),
            ("Marketing/Lead", Status.WARN, None),
            ("Standard User/Opportunity", Status.FAIL, None),
        ],
    ),
    ("missing", [("organization", Status.ERROR, Reason.EVIDENCE_MISSING)]),
]


@pytest.mark.parametrize(("case", "expected"), CASES)
def test_object_wide_access(case: str, expected: list[tuple[str, Status, Reason | None]]) -> None:
    findings = run_check("CRM-AC-011", snapshot_from_values(FIXTURES / f"{case}.json"))
    assert sorted((f.resource, f.status, f.reason) for f in findings) == expected
