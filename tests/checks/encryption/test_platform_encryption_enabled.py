"""CRM-ENC-001: encryption at rest."""

from pathlib import Path

import pytest

from crmsec.errors import Reason
from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

FIXTURES = Path(__file__).parent / "platform_encryption_enabled"
CASES = [("pass", Status.PASS, None), ("fail", Status.FAIL, None), ("missing", Status.ERROR, Reason.EVIDENCE_MISSING)]


@pytest.mark.parametrize(("case", "status", "reason"), CASES)
def test_platform_encryption_enabled(case: str, status: Status, reason: Reason | None) -> None:
    [finding] = run_check("CRM-ENC-001", snapshot_from_values(FIXTURES / f"{case}.json"))
    assert (finding.status, finding.reason, finding.resource) == (status, reason, "organization")


def test_self_hosted_database_encryption_passes() -> None:
    value = {"enabled": None, "database_encrypted": True, "provider": "LUKS", "source": "facts_file"}
    [finding] = run_check("CRM-ENC-001", snapshot_from_values({"encryption.platform": value}))
    assert finding.status is Status.PASS


def test_unknown_facts_are_manual_and_ask_for_a_facts_file() -> None:
    value = {"enabled": None, "database_encrypted": None, "encrypted_fields": None, "keys": None, "source": "unknown"}
    [finding] = run_check("CRM-ENC-001", snapshot_from_values({"encryption.platform": value}))
    assert finding.status is Status.MANUAL
    assert "deployment-facts file" in finding.message


def test_non_boolean_flag_is_unusable() -> None:
    [finding] = run_check("CRM-ENC-001", snapshot_from_values({"encryption.platform": {"enabled": "on"}}))
    assert (finding.status, finding.reason) == (Status.ERROR, Reason.EVIDENCE_UNUSABLE)
