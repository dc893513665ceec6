"""CRM-AUTH-004: idle_session_timeout."""

from pathlib import Path

import pytest

from crmsec.errors import Reason
from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

FIXTURES = Path(__file__).parent / "idle_session_timeout"
CASES = [
    ("pass", Status.PASS, None),
    ("fail", Status.FAIL, None),
    ("missing", Status.ERROR, Reason.EVIDENCE_MISSING),
]


@pytest.mark.parametrize(("case", "status", "reason"), CASES)
def test_idle_session_timeout(case: str, status: Status, reason: Reason | None) -> None:
    [finding] = run_check("CRM-AUTH-004", snapshot_from_values(FIXTURES / f"{case}.json"))
    assert (finding.status, finding.reason, finding.resource) == (status, reason, "organization")


def test_profile_can_tighten_the_limit() -> None:
    [finding] = run_check("CRM-AUTH-004", snapshot_from_values(FIXTURES / "pass.json"), max_idle_minutes=10)
    assert (finding.status, finding.details) == (Status.FAIL, {"actual": 15, "limit": 10})


def test_null_timeout_is_unusable() -> None:
    values = {"auth.session_settings": {"idle_timeout_minutes": None}}
    [finding] = run_check("CRM-AUTH-004", snapshot_from_values(values))
    assert (finding.status, finding.reason) == (Status.ERROR, Reason.EVIDENCE_UNUSABLE)


def test_null_timeout_without_a_source_is_manual() -> None:
    values = {"auth.session_settings": {"idle_timeout_minutes": None, "source": "unknown"}}
    [finding] = run_check("CRM-AUTH-004", snapshot_from_values(values))
    assert (finding.status, finding.reason) == (Status.MANUAL, None)


def test_null_timeout_from_a_known_source_stays_unusable() -> None:
    values = {"auth.session_settings": {"idle_timeout_minutes": None, "source": "config_file"}}
    [finding] = run_check("CRM-AUTH-004", snapshot_from_values(values))
    assert (finding.status, finding.reason) == (Status.ERROR, Reason.EVIDENCE_UNUSABLE)


def test_not_supported_is_not_applicable() -> None:
    values = {"auth.session_settings": {"__error__": {"reason": "not_supported", "message": "no sessions API"}}}
    [finding] = run_check("CRM-AUTH-004", snapshot_from_values(values))
    assert (finding.status, finding.reason) == (Status.NOT_APPLICABLE, Reason.NOT_SUPPORTED)
