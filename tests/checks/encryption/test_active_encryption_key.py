"""CRM-ENC-005: an active key exists."""

from pathlib import Path

import pytest

from crmsec.errors import Reason
from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

FIXTURES = Path(__file__).parent / "active_encryption_key"
CASES = [("pass", Status.PASS, None), ("fail", Status.FAIL, None), ("missing", Status.ERROR, Reason.EVIDENCE_MISSING)]


@pytest.mark.parametrize(("case", "status", "reason"), CASES)
def test_active_encryption_key(case: str, status: Status, reason: Reason | None) -> None:
    [finding] = run_check("CRM-ENC-005", snapshot_from_values(FIXTURES / f"{case}.json"))
    assert (finding.status, finding.reason, finding.resource) == (status, reason, "organization")


def test_disabled_encryption_is_not_applicable() -> None:
    [finding] = run_check("CRM-ENC-005", snapshot_from_values({"encryption.platform": {"enabled": False, "keys": []}}))
    assert finding.status is Status.NOT_APPLICABLE


def test_hidden_keys_are_manual() -> None:
    [finding] = run_check("CRM-ENC-005", snapshot_from_values({"encryption.platform": {"enabled": True, "keys": None}}))
    assert finding.status is Status.MANUAL
