"""CRM-ENC-003: age of active keys (collection time 2026-01-01)."""

from pathlib import Path

import pytest

from crmsec.errors import Reason
from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

FIXTURES = Path(__file__).parent / "key_rotation_age"
CASES = [
    ("pass", [("key:02G000000000001", Status.PASS, None)]),
    ("fail", [("key:02G000000000001", Status.FAIL, None), ("key:02G000000000002", Status.PASS, None)]),
    ("missing", [("organization", Status.ERROR, Reason.PERMISSION_DENIED)]),
]


@pytest.mark.parametrize(("case", "expected"), CASES)
def test_key_rotation_age(case: str, expected: list[tuple[str, Status, Reason | None]]) -> None:
    findings = run_check("CRM-ENC-003", snapshot_from_values(FIXTURES / f"{case}.json"))
    assert sorted((f.resource, f.status, f.reason) for f in findings) == expected


def test_age_is_measured_from_collection_time() -> None:
    [finding] = run_check("CRM-ENC-003", snapshot_from_values(FIXTURES / "pass.json"))
    assert finding.details["age_days"] == 45


def test_stricter_profile_fails_the_older_key() -> None:
    findings = run_check("CRM-ENC-003", snapshot_from_values(FIXTURES / "fail.json"), max_key_age_days=90)
    assert {f.status for f in findings} == {Status.FAIL}


def test_hidden_keys_are_manual() -> None:
    [finding] = run_check("CRM-ENC-003", snapshot_from_values({"encryption.platform": {"enabled": None, "keys": None}}))
    assert finding.status is Status.MANUAL


def test_key_without_creation_time_is_manual() -> None:
    keys = [{"id": "database", "status": "active", "created_at": None, "customer_managed": True}]
    [finding] = run_check("CRM-ENC-003", snapshot_from_values({"encryption.platform": {"keys": keys}}))
    assert (finding.status, finding.resource) == (Status.MANUAL, "key:database")
