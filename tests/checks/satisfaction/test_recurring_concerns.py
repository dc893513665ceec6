"""CRM-SAT-004: recurring concerns in survey comments."""

import json
from pathlib import Path

import pytest

from crmsec.errors import Reason
from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

FIXTURES = Path(__file__).parent / "recurring_concerns"
CHECK = "CRM-SAT-004"
CASES = [
    (
        "pass",
        [
            ("complexity", Status.PASS, None),
            ("data_quality", Status.PASS, None),
            ("integration", Status.PASS, None),
            ("mobile", Status.PASS, None),
            ("performance", Status.PASS, None),
            ("security", Status.PASS, None),
            ("training", Status.PASS, None),
        ],
    ),
    (
        "fail",
        [
            ("complexity", Status.WARN, None),
            ("data_quality", Status.PASS, None),
            ("integration", Status.PASS, None),
            ("mobile", Status.PASS, None),
            ("performance", Status.PASS, None),
            ("security", Status.WARN, None),
            ("training", Status.PASS, None),
        ],
    ),
    ("missing", [("organization", Status.ERROR, Reason.EVIDENCE_MISSING)]),
]


def values(case: str) -> dict:
    return json.loads((FIXTURES / f"{case}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize(("case", "expected"), CASES)
def test_recurring_concerns(case: str, expected: list) -> None:
    findings = run_check(CHECK, snapshot_from_values(FIXTURES / f"{case}.json"))
    assert sorted((f.resource, f.status, f.reason) for f in findings) == expected


def test_source_not_supplied_is_not_applicable() -> None:
    data = values("pass")
    data["inputs.survey"] = {"__error__": {"reason": "not_supported", "message": "not provided"}}
    [finding] = run_check(CHECK, snapshot_from_values(data))
    assert (finding.status, finding.reason) == (Status.NOT_APPLICABLE, Reason.NOT_SUPPORTED)


def test_no_comments_is_not_applicable() -> None:
    data = values("pass")
    data["metrics.computed"]["survey_comments"]["value"] = 0
    [finding] = run_check(CHECK, snapshot_from_values(data))
    assert finding.status is Status.NOT_APPLICABLE
