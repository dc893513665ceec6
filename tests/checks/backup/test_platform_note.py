"""Every backup check: a platform that cannot show backups (`note`, as Salesforce) gives MANUAL with its reason."""

import pytest

from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

NOTE = "Salesforce exposes no backup status through its API"
UNKNOWN = {
    "configured": None,
    "schedule": None,
    "last_success_at": None,
    "retention_days": None,
    "last_restore_test_at": None,
    "encrypted": None,
    "source": "unknown",
}


@pytest.mark.parametrize("check_id", ["CRM-BAK-001", "CRM-BAK-002", "CRM-BAK-003", "CRM-BAK-004", "CRM-BAK-005"])
def test_a_platform_without_a_backup_api_gets_manual_with_its_reason(check_id: str) -> None:
    [finding] = run_check(check_id, snapshot_from_values({"backup.status": {**UNKNOWN, "note": NOTE}}))
    assert finding.status is Status.MANUAL
    assert finding.message.startswith(f"{NOTE}. ") and "--facts" in finding.message


@pytest.mark.parametrize("check_id", ["CRM-BAK-001", "CRM-BAK-002", "CRM-BAK-003", "CRM-BAK-004", "CRM-BAK-005"])
def test_without_a_note_the_message_is_the_facts_hint_alone(check_id: str) -> None:
    [finding] = run_check(check_id, snapshot_from_values({"backup.status": UNKNOWN}))
    assert finding.status is Status.MANUAL
    assert "deployment-facts file" in finding.message and NOTE not in finding.message
