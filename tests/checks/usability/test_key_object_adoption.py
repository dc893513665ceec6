"""CRM-USE-004: key objects have records touched in 90 days."""

import json
from pathlib import Path

import pytest

from crmsec.errors import Reason
from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

FIXTURES = Path(__file__).parent / "key_object_adoption"
CHECK = "CRM-USE-004"
CASES = [
    (
        "pass",
        [
            ("Account", Status.PASS, None),
            ("Case", Status.PASS, None),
            ("Contact", Status.PASS, None),
            ("Opportunity", Status.PASS, None),
        ],
    ),
    (
        "fail",
        [
            ("Account", Status.PASS, None),
            ("Case", Status.WARN, None),
            ("Contact", Status.PASS, None),
            ("Opportunity", Status.FAIL, None),
        ],
    ),
    ("missing", [("organization", Status.ERROR, Reason.EVIDENCE_MISSING)]),
]


def values(case: str) -> dict:
    return json.loads((FIXTURES / f"{case}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize(("case", "expected"), CASES)
def test_key_object_adoption(case: str, expected: list) -> None:
    findings = run_check(CHECK, snapshot_from_values(FIXTURES / f"{case}.json"))
    assert sorted((f.resource, f.status, f.reason) for f in findings) == expected


def test_source_not_supplied_is_not_applicable() -> None:
    data = values("pass")
    data["usage.activity"] = {"__error__": {"reason": "not_supported", "message": "not provided"}}
    [finding] = run_check(CHECK, snapshot_from_values(data))
    assert (finding.status, finding.reason) == (Status.NOT_APPLICABLE, Reason.NOT_SUPPORTED)


def test_key_objects_are_a_parameter() -> None:
    findings = run_check(
        CHECK, snapshot_from_values(FIXTURES / "fail.json"), key_objects=["Lead"], min_records_touched=1
    )
    assert [(f.resource, f.status) for f in findings] == [("Lead", Status.FAIL)]
