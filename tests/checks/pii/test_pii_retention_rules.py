"""CRM-PII-004 pii_retention_rules: one finding per PII object; MANUAL when the platform cannot say."""

from pathlib import Path

import pytest

from crmsec.errors import Reason
from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

FIXTURES = Path(__file__).parent / "pii_retention_rules"
CHECK = "CRM-PII-004"


def test_object_and_field_rules_pass() -> None:
    findings = run_check(CHECK, snapshot_from_values(FIXTURES / "pass.json"))
    assert [(finding.resource, finding.status) for finding in findings] == [
        ("Contact", Status.PASS),
        ("Lead", Status.PASS),
    ]


@pytest.mark.parametrize(
    ("case", "status", "reason"),
    [
        ("fail", Status.FAIL, None),
        ("missing", Status.ERROR, Reason.EVIDENCE_MISSING),
        ("unknown", Status.MANUAL, None),
    ],
)
def test_pii_retention_rules(case: str, status: Status, reason: Reason | None) -> None:
    [finding] = run_check(CHECK, snapshot_from_values(FIXTURES / f"{case}.json"))
    assert (finding.status, finding.reason) == (status, reason)


def test_fail_names_the_field_without_a_rule() -> None:
    [finding] = run_check(CHECK, snapshot_from_values(FIXTURES / "fail.json"))
    assert finding.details["fields_without_rule"] == ["Contact.Email"]
