"""CRM-PII-005 high_risk_pii_in_free_text: one finding per sampled free-text field."""

from pathlib import Path

import pytest

from crmsec.errors import Reason
from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

FIXTURES = Path(__file__).parent / "high_risk_pii_in_free_text"
CHECK = "CRM-PII-005"


def _outcome(case: str, **params: object) -> dict[str, Status]:
    findings = run_check(CHECK, snapshot_from_values(FIXTURES / f"{case}.json"), **params)
    return {finding.resource: finding.status for finding in findings}


def test_clean_notes_pass() -> None:
    # Case.Comments has no schema entry: its name marks it as free text; email there is not high-risk.
    # Lead.Description has no non-empty value, so there is nothing to judge.
    assert _outcome("pass") == {"Case.Comments": Status.PASS, "Contact.Description": Status.PASS}


def test_card_and_ssn_numbers_in_notes_fail() -> None:
    # Contact.National_ID__c holds IDs by design and is not free text, so it is not judged here.
    assert _outcome("fail") == {"Contact.Description": Status.PASS, "Contact.Notes__c": Status.FAIL}
    findings = run_check(CHECK, snapshot_from_values(FIXTURES / "fail.json"))
    notes = next(finding for finding in findings if finding.resource == "Contact.Notes__c")
    assert notes.details["detections"] == {"payment_card": 2, "us_ssn": 3}


@pytest.mark.parametrize(
    ("case", "status", "reason"),
    [("missing", Status.ERROR, Reason.EVIDENCE_MISSING), ("no_free_text", Status.NOT_APPLICABLE, None)],
)
def test_single_finding_cases(case: str, status: Status, reason: Reason | None) -> None:
    [finding] = run_check(CHECK, snapshot_from_values(FIXTURES / f"{case}.json"))
    assert (finding.status, finding.reason) == (status, reason)


def test_high_risk_categories_is_a_parameter() -> None:
    assert _outcome("pass", high_risk_categories=["email"]) == {
        "Case.Comments": Status.FAIL,
        "Contact.Description": Status.PASS,
    }
