"""CRM-AUTH-006: password_complexity."""

from pathlib import Path

import pytest

from crmsec.errors import Reason
from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

FIXTURES = Path(__file__).parent / "password_complexity"
CASES = [
    ("pass", Status.PASS, None),
    ("fail", Status.FAIL, None),
    ("missing", Status.ERROR, Reason.EVIDENCE_MISSING),
]


@pytest.mark.parametrize(("case", "status", "reason"), CASES)
def test_password_complexity(case: str, status: Status, reason: Reason | None) -> None:
    [finding] = run_check("CRM-AUTH-006", snapshot_from_values(FIXTURES / f"{case}.json"))
    assert (finding.status, finding.reason, finding.resource) == (status, reason, "organization")


@pytest.mark.parametrize(
    ("value", "classes"),
    [
        ("NoRestriction", 0),
        ("alpha_numeric", 2),
        ("SpecialCharacters", 3),
        ("UpperLowerCaseNumeric", 3),
        ("Any3UpperLowerCaseNumericSpecialCharacters", 3),
        ("upper_lower_case_numeric_special_characters", 4),
        (4, 4),
    ],
)
def test_complexity_values_map_to_classes(value: object, classes: int) -> None:
    values = {"auth.password_policy": {"complexity": value}}
    [finding] = run_check("CRM-AUTH-006", snapshot_from_values(values))
    assert finding.details["classes"] == classes


def test_nist_profile_can_drop_composition_rules() -> None:
    snapshot = snapshot_from_values(FIXTURES / "fail.json")
    [finding] = run_check("CRM-AUTH-006", snapshot, min_character_classes=0)
    assert finding.status is Status.PASS


def test_unknown_value_is_unusable() -> None:
    [finding] = run_check("CRM-AUTH-006", snapshot_from_values({"auth.password_policy": {"complexity": "strong"}}))
    assert (finding.status, finding.reason) == (Status.ERROR, Reason.EVIDENCE_UNUSABLE)
