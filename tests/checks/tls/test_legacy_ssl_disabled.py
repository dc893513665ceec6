"""CRM-TLS-001 legacy_ssl_disabled: pass, fail, missing, unreachable and partially measured scans."""

from pathlib import Path

import pytest

from crmsec.errors import Reason
from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

FIXTURES = Path(__file__).parent / "legacy_ssl_disabled"
CASES = [
    ("pass", Status.PASS, None),
    ("fail", Status.FAIL, None),
    ("missing", Status.ERROR, Reason.EVIDENCE_MISSING),
    ("unreachable", Status.ERROR, Reason.EVIDENCE_UNUSABLE),
    ("error", Status.ERROR, Reason.UNREACHABLE),
    ("unmeasured", Status.ERROR, Reason.EVIDENCE_UNUSABLE),
]


@pytest.mark.parametrize(("case", "status", "reason"), CASES)
def test_legacy_ssl_disabled(case: str, status: Status, reason: Reason | None) -> None:
    snapshot = snapshot_from_values(FIXTURES / f"{case}.json")
    [finding] = run_check("CRM-TLS-001", snapshot)
    assert (finding.status, finding.reason) == (status, reason)
