"""CRM-PII-001 pii_fields_classified: one finding per PII field, WARN without a classification."""

from pathlib import Path

import pytest

from crmsec.errors import Reason
from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

FIXTURES = Path(__file__).parent / "pii_fields_classified"
CHECK = "CRM-PII-001"


def _outcome(case: str, **params: object) -> dict[str, tuple[Status, Reason | None]]:
    findings = run_check(CHECK, snapshot_from_values(FIXTURES / f"{case}.json"), **params)
    return {finding.resource: (finding.status, finding.reason) for finding in findings}


def test_classified_fields_pass() -> None:
    assert _outcome("pass") == {
        "Contact.Email": (Status.PASS, None),
        "Contact.MobilePhone": (Status.PASS, None),
        "Contact.National_ID__c": (Status.PASS, None),
    }


def test_unclassified_fields_warn_including_sample_only_fields() -> None:
    assert _outcome("fail") == {
        "Contact.Email": (Status.WARN, None),
        "Contact.MobilePhone": (Status.WARN, None),
        "Contact.National_ID__c": (Status.WARN, None),
        "Contact.Notes__c": (Status.WARN, None),
        "Lead.Phone": (Status.WARN, None),
    }


@pytest.mark.parametrize(
    ("case", "status", "reason"),
    [
        ("missing", Status.ERROR, Reason.EVIDENCE_MISSING),
        ("no_pii", Status.NOT_APPLICABLE, None),
        ("malformed", Status.ERROR, Reason.EVIDENCE_UNUSABLE),
    ],
)
def test_single_finding_cases(case: str, status: Status, reason: Reason | None) -> None:
    snapshot = snapshot_from_values(FIXTURES / f"{case}.json")
    [finding] = run_check(CHECK, snapshot)
    assert (finding.status, finding.reason) == (status, reason)


def test_categories_parameter_narrows_the_inventory() -> None:
    assert _outcome("fail", categories=["us_ssn"]) == {"Contact.Notes__c": (Status.WARN, None)}


def test_details_name_categories_and_label() -> None:
    findings = run_check(CHECK, snapshot_from_values(FIXTURES / "pass.json"))
    national = next(finding for finding in findings if finding.resource == "Contact.National_ID__c")
    assert national.details == {"categories": ["cn_resident_id"], "classification": "Restricted"}


def test_person_names_are_out_of_scope_unless_asked_for() -> None:
    assert "Contact.FirstName" not in _outcome("fail")
    everything = _outcome("fail", categories=["person_name", "email"])
    assert everything == {"Contact.Email": (Status.WARN, None), "Contact.FirstName": (Status.WARN, None)}
