"""CRM-TLS-010 certificate_signature_algorithm: SHA-256 passes, SHA-1 and MD5 fail."""

from pathlib import Path

import pytest

from crmsec.errors import Reason
from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

FIXTURES = Path(__file__).parent / "certificate_signature_algorithm"
CASES = [
    ("pass", Status.PASS, None),
    ("fail", Status.FAIL, None),
    ("missing", Status.ERROR, Reason.EVIDENCE_MISSING),
    ("md5", Status.FAIL, None),
]


@pytest.mark.parametrize(("case", "status", "reason"), CASES)
def test_certificate_signature_algorithm(case: str, status: Status, reason: Reason | None) -> None:
    snapshot = snapshot_from_values(FIXTURES / f"{case}.json")
    [finding] = run_check("CRM-TLS-010", snapshot)
    assert (finding.status, finding.reason) == (status, reason)
