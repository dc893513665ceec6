"""CRM-TLS-014 tls_known_vulnerabilities: pass, fail, missing."""

from pathlib import Path

import pytest

from crmsec.errors import Reason
from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

FIXTURES = Path(__file__).parent / "tls_known_vulnerabilities"
CASES = [
    ("pass", Status.PASS, None),
    ("fail", Status.FAIL, None),
    ("missing", Status.ERROR, Reason.EVIDENCE_MISSING),
]


@pytest.mark.parametrize(("case", "status", "reason"), CASES)
def test_tls_known_vulnerabilities(case: str, status: Status, reason: Reason | None) -> None:
    snapshot = snapshot_from_values(FIXTURES / f"{case}.json")
    [finding] = run_check("CRM-TLS-014", snapshot)
    assert (finding.status, finding.reason) == (status, reason)


def test_failure_names_each_vulnerability() -> None:
    [finding] = run_check("CRM-TLS-014", snapshot_from_values(FIXTURES / "fail.json"))
    assert finding.message == "Vulnerable or missing protection: fallback_scsv, heartbleed."
