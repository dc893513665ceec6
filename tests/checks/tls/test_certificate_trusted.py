"""CRM-TLS-006 certificate_trusted: pass, fail, missing, no certificate retrieved."""

from pathlib import Path

import pytest

from crmsec.errors import Reason
from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

FIXTURES = Path(__file__).parent / "certificate_trusted"
CASES = [
    ("pass", Status.PASS, None),
    ("fail", Status.FAIL, None),
    ("missing", Status.ERROR, Reason.EVIDENCE_MISSING),
    ("no_certificate", Status.ERROR, Reason.EVIDENCE_UNUSABLE),
]


@pytest.mark.parametrize(("case", "status", "reason"), CASES)
def test_certificate_trusted(case: str, status: Status, reason: Reason | None) -> None:
    snapshot = snapshot_from_values(FIXTURES / f"{case}.json")
    [finding] = run_check("CRM-TLS-006", snapshot)
    assert (finding.status, finding.reason) == (status, reason)
