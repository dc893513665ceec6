"""CRM-PII-002 pii_fields_encrypted: one finding per PII field; high-risk categories always FAIL."""

from pathlib import Path

import pytest

from crmsec.errors import Reason
from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

FIXTURES = Path(__file__).parent / "pii_fields_encrypted"
CHECK = "CRM-PII-002"


def _outcome(case: str, **params: object) -> dict[str, Status]:
    findings = run_check(CHECK, snapshot_from_values(FIXTURES / f"{case}.json"), **params)
    return {finding.resource: finding.status for finding in findings}


def test_encrypted_fields_pass() -> None:
    assert _outcome("pass") == {
        "Contact.Email": Status.PASS,
        "Contact.MobilePhone": Status.PASS,
        "Contact.National_ID__c": Status.PASS,
    }


def test_unencrypted_fields_fail() -> None:
    assert _outcome("fail") == {
        "Contact.Email": Status.FAIL,
        "Contact.MobilePhone": Status.FAIL,
        "Contact.National_ID__c": Status.FAIL,
        "Contact.Notes__c": Status.FAIL,
        "Lead.Phone": Status.FAIL,
    }


def test_warn_categories_downgrade_email_and_phone_but_never_high_risk() -> None:
    assert _outcome("fail", warn_categories=["email", "phone", "cn_resident_id"]) == {
        "Contact.Email": Status.WARN,
        "Contact.MobilePhone": Status.WARN,
        "Contact.National_ID__c": Status.FAIL,
        "Contact.Notes__c": Status.FAIL,
        "Lead.Phone": Status.WARN,
    }


@pytest.mark.parametrize(
    ("case", "status", "reason"),
    [("missing", Status.ERROR, Reason.EVIDENCE_MISSING), ("unknown", Status.MANUAL, None)],
)
def test_single_finding_cases(case: str, status: Status, reason: Reason | None) -> None:
    [finding] = run_check(CHECK, snapshot_from_values(FIXTURES / f"{case}.json"))
    assert (finding.status, finding.reason) == (status, reason)


def test_no_pii_in_scope_is_not_applicable() -> None:
    [finding] = run_check(CHECK, snapshot_from_values(FIXTURES / "pass.json"), categories=["iban"])
    assert finding.status is Status.NOT_APPLICABLE
