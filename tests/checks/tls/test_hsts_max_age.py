"""CRM-TLS-011 hsts_max_age: absent, short, malformed HSTS and plain HTTP fail."""

from pathlib import Path

import pytest

from crmsec.errors import Reason
from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

FIXTURES = Path(__file__).parent / "hsts_max_age"
CASES = [
    ("pass", Status.PASS, None),
    ("fail", Status.FAIL, None),
    ("missing", Status.ERROR, Reason.EVIDENCE_MISSING),
    ("short", Status.FAIL, None),
    ("no_max_age", Status.FAIL, None),
    ("no_subdomains", Status.PASS, None),
    ("plain_http", Status.FAIL, None),
    ("offsite", Status.MANUAL, None),  # another origin answered: unknown, never PASS or FAIL
]


@pytest.mark.parametrize(("case", "status", "reason"), CASES)
def test_hsts_max_age(case: str, status: Status, reason: Reason | None) -> None:
    snapshot = snapshot_from_values(FIXTURES / f"{case}.json")
    [finding] = run_check("CRM-TLS-011", snapshot)
    assert (finding.status, finding.reason) == (status, reason)


def test_include_subdomains_can_be_required() -> None:
    snapshot = snapshot_from_values(FIXTURES / "no_subdomains.json")
    [finding] = run_check("CRM-TLS-011", snapshot, require_include_subdomains=True)
    assert finding.status is Status.FAIL
    assert "includeSubDomains" in finding.message


def test_max_age_threshold_is_a_parameter() -> None:
    snapshot = snapshot_from_values(FIXTURES / "short.json")
    [finding] = run_check("CRM-TLS-011", snapshot, min_max_age=3600)
    assert finding.status is Status.PASS
