"""CRM-ENC-002: encryption of fields the organization classified as sensitive."""

from pathlib import Path

import pytest

from crmsec.errors import Reason
from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

FIXTURES = Path(__file__).parent / "sensitive_fields_encrypted"
CASES = [
    ("pass", [("Contact.Birthdate", Status.PASS, None), ("Contact.Email", Status.PASS, None)]),
    (
        "fail",
        [
            ("Case.Description", Status.FAIL, None),
            ("Contact.Birthdate", Status.FAIL, None),
            ("Contact.Email", Status.PASS, None),
        ],
    ),
    ("missing", [("organization", Status.ERROR, Reason.EVIDENCE_MISSING)]),
]


@pytest.mark.parametrize(("case", "expected"), CASES)
def test_sensitive_fields_encrypted(case: str, expected: list[tuple[str, Status, Reason | None]]) -> None:
    findings = run_check("CRM-ENC-002", snapshot_from_values(FIXTURES / f"{case}.json"))
    assert sorted((f.resource, f.status, f.reason) for f in findings) == expected


def _values(field: dict[str, object], encrypted_fields: object) -> dict[str, object]:
    return {
        "schema.objects": [{"name": "Lead", "fields": [field]}],
        "encryption.platform": {"enabled": True, "encrypted_fields": encrypted_fields},
    }


def test_listing_in_encrypted_fields_counts_as_encrypted() -> None:
    values = _values({"name": "Phone", "classification": "confidential", "encrypted": None}, ["Lead.Phone"])
    [finding] = run_check("CRM-ENC-002", snapshot_from_values(values))
    assert (finding.status, finding.resource) == (Status.PASS, "Lead.Phone")


def test_unknown_encryption_state_is_manual() -> None:
    values = _values({"name": "Phone", "classification": "Restricted", "encrypted": None}, None)
    [finding] = run_check("CRM-ENC-002", snapshot_from_values(values))
    assert finding.status is Status.MANUAL


def test_no_classified_field_is_not_applicable() -> None:
    values = _values({"name": "Phone", "classification": None, "encrypted": False}, [])
    [finding] = run_check("CRM-ENC-002", snapshot_from_values(values))
    assert finding.status is Status.NOT_APPLICABLE


def test_classification_list_is_a_parameter() -> None:
    values = _values({"name": "Phone", "classification": "Internal", "encrypted": False}, [])
    [finding] = run_check("CRM-ENC-002", snapshot_from_values(values), sensitive_classifications=["Internal"])
    assert finding.status is Status.FAIL


def test_joined_labels_are_split() -> None:
    values = _values({"name": "Email", "classification": "Confidential;PII;GDPR", "encrypted": False}, [])
    [finding] = run_check("CRM-ENC-002", snapshot_from_values(values))
    assert (finding.status, finding.details["classification"]) == (Status.FAIL, "Confidential")
