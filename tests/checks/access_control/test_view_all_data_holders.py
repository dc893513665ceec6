"""CRM-AC-003: View All Data only through admin profiles."""

from pathlib import Path

import pytest

from crmsec.errors import Reason
from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

FIXTURES = Path(__file__).parent / "view_all_data_holders"
CASES = [
    ("pass", [("a.admin@example.test", Status.PASS, None)]),
    (
        "fail",
        [
            ("a.admin@example.test", Status.PASS, None),
            ("r.analyst@example.test", Status.FAIL, None),
            ("sync.integration@example.test", Status.WARN, None),
        ],
    ),
    ("missing", [("organization", Status.ERROR, Reason.EVIDENCE_MISSING)]),
]


@pytest.mark.parametrize(("case", "expected"), CASES)
def test_view_all_data_holders(case: str, expected: list[tuple[str, Status, Reason | None]]) -> None:
    findings = run_check("CRM-AC-003", snapshot_from_values(FIXTURES / f"{case}.json"))
    assert sorted((f.resource, f.status, f.reason) for f in findings) == expected


def test_failing_finding_names_the_permission_sets() -> None:
    findings = run_check("CRM-AC-003", snapshot_from_values(FIXTURES / "fail.json"))
    [analyst] = [f for f in findings if f.resource == "r.analyst@example.test"]
    assert analyst.details["permission_sets"] == ["Reporting"]
