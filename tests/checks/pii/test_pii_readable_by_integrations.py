"""CRM-PII-006 pii_readable_by_integrations: one finding per high-risk PII object."""

from pathlib import Path

import pytest

from crmsec.errors import Reason
from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

FIXTURES = Path(__file__).parent / "pii_readable_by_integrations"
CASES = [
    ("pass", Status.PASS, None),
    ("fail", Status.WARN, None),
    ("missing", Status.ERROR, Reason.EVIDENCE_MISSING),
    ("no_integration", Status.NOT_APPLICABLE, None),
]


@pytest.mark.parametrize(("case", "status", "reason"), CASES)
def test_pii_readable_by_integrations(case: str, status: Status, reason: Reason | None) -> None:
    [finding] = run_check("CRM-PII-006", snapshot_from_values(FIXTURES / f"{case}.json"))
    assert (finding.status, finding.reason) == (status, reason)


def test_categories_parameter_widens_the_scope() -> None:
    # Only Contact holds PII at all; Account (read by the integration profile) has none.
    findings = run_check("CRM-PII-006", snapshot_from_values(FIXTURES / "fail.json"), categories=["email"])
    assert [(finding.resource, finding.details["integration_profiles"]) for finding in findings] == [
        ("Contact", ["Sales"])
    ]
