"""CRM-AUD-001 pii_field_history: one finding per PII field (person names are out of scope by default)."""

from pathlib import Path

import pytest

from crmsec.errors import Reason
from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

FIXTURES = Path(__file__).parent / "pii_field_history"
CHECK = "CRM-AUD-001"


def _outcome(case: str, **params: object) -> dict[str, tuple[Status, Reason | None]]:
    findings = run_check(CHECK, snapshot_from_values(FIXTURES / f"{case}.json"), **params)
    return {finding.resource: (finding.status, finding.reason) for finding in findings}


PII = ("Contact.Birthdate", "Contact.Email", "Contact.IBAN__c")


def test_tracked_fields_pass() -> None:
    assert _outcome("pass") == dict.fromkeys(PII, (Status.PASS, None))


def test_untracked_fields_fail_and_undescribed_ones_need_a_human() -> None:
    expected = dict.fromkeys(PII, (Status.FAIL, None))
    assert _outcome("fail") == {**expected, "Lead.Email": (Status.MANUAL, None)}


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("missing", {"organization": (Status.ERROR, Reason.EVIDENCE_MISSING)}),
        (
            "unknown",
            {
                "Contact.Birthdate": (Status.PASS, None),
                "Contact.Email": (Status.MANUAL, None),
                "Contact.IBAN__c": (Status.PASS, None),
            },
        ),
    ],
)
def test_other_cases(case: str, expected: dict[str, tuple[Status, Reason | None]]) -> None:
    assert _outcome(case) == expected


def test_categories_parameter_brings_person_names_in() -> None:
    outcome = _outcome("fail", categories=["person_name"])
    assert outcome == {"Contact.FirstName": (Status.FAIL, None)}
