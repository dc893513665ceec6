"""CRM-TLS-009 certificate_key_size: RSA, EC, DSA and EdDSA keys."""

from pathlib import Path

import pytest

from crmsec.errors import Reason
from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

FIXTURES = Path(__file__).parent / "certificate_key_size"
CASES = [
    ("pass", Status.PASS, None),
    ("fail", Status.FAIL, None),
    ("missing", Status.ERROR, Reason.EVIDENCE_MISSING),
    ("ec_pass", Status.PASS, None),
    ("ec_fail", Status.FAIL, None),
    ("dsa", Status.FAIL, None),
    ("ed25519", Status.PASS, None),
]


@pytest.mark.parametrize(("case", "status", "reason"), CASES)
def test_certificate_key_size(case: str, status: Status, reason: Reason | None) -> None:
    snapshot = snapshot_from_values(FIXTURES / f"{case}.json")
    [finding] = run_check("CRM-TLS-009", snapshot)
    assert (finding.status, finding.reason) == (status, reason)
