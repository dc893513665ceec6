"""CRM-TLS-004 modern_tls_offered: pass, fail, missing, TLS 1.2 only."""

from pathlib import Path

import pytest

from crmsec.errors import Reason
from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

FIXTURES = Path(__file__).parent / "modern_tls_offered"
CASES = [
    ("pass", Status.PASS, None),
    ("fail", Status.FAIL, None),
    ("missing", Status.ERROR, Reason.EVIDENCE_MISSING),
    ("tls12_only", Status.PASS, None),
]


@pytest.mark.parametrize(("case", "status", "reason"), CASES)
def test_modern_tls_offered(case: str, status: Status, reason: Reason | None) -> None:
    snapshot = snapshot_from_values(FIXTURES / f"{case}.json")
    [finding] = run_check("CRM-TLS-004", snapshot)
    assert (finding.status, finding.reason) == (status, reason)


def test_tls_1_3_can_be_required() -> None:
    snapshot = snapshot_from_values(FIXTURES / "tls12_only.json")
    [finding] = run_check("CRM-TLS-004", snapshot, require_tls_1_3=True)
    assert finding.status is Status.FAIL
