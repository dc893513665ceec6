"""CRM-TLS-005 mozilla_intermediate_ciphers: only cipher-related issues count; an incomplete verdict is an error."""

from pathlib import Path

import pytest

from crmsec.errors import Reason
from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

FIXTURES = Path(__file__).parent / "mozilla_intermediate_ciphers"
CASES = [
    ("pass", Status.PASS, None),
    ("fail", Status.FAIL, None),
    ("missing", Status.ERROR, Reason.EVIDENCE_MISSING),
    ("other_issues_only", Status.PASS, None),
    ("incomplete", Status.ERROR, Reason.EVIDENCE_UNUSABLE),
]


@pytest.mark.parametrize(("case", "status", "reason"), CASES)
def test_mozilla_intermediate_ciphers(case: str, status: Status, reason: Reason | None) -> None:
    snapshot = snapshot_from_values(FIXTURES / f"{case}.json")
    [finding] = run_check("CRM-TLS-005", snapshot)
    assert (finding.status, finding.reason) == (status, reason)


def test_failure_lists_the_cipher_issues_only() -> None:
    [finding] = run_check("CRM-TLS-005", snapshot_from_values(FIXTURES / "fail.json"))
    assert [issue.partition(":")[0] for issue in finding.details["issues"]] == ["ciphers", "tls_curves"]
