"""CRM-TLS-013 cookie_flags: one finding per cookie."""

from pathlib import Path

import pytest

from crmsec.errors import Reason
from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

FIXTURES = Path(__file__).parent / "cookie_flags"
CASES = [
    ("pass", [("cookie:sessionid", Status.PASS)]),
    ("fail", [("cookie:sessionid", Status.FAIL)]),
    ("mixed", [("cookie:csrftoken", Status.PASS), ("cookie:sid", Status.FAIL), ("cookie:tracking", Status.WARN)]),
    ("no_cookies", [("https://crm.example.test/", Status.NOT_APPLICABLE)]),
    ("offsite", [("https://sso.example.org/login", Status.MANUAL)]),
]


@pytest.mark.parametrize(("case", "expected"), CASES)
def test_cookie_flags(case: str, expected: list[tuple[str, Status]]) -> None:
    findings = run_check("CRM-TLS-013", snapshot_from_values(FIXTURES / f"{case}.json"))
    assert sorted((finding.resource, finding.status) for finding in findings) == expected


def test_missing() -> None:
    [finding] = run_check("CRM-TLS-013", snapshot_from_values(FIXTURES / "missing.json"))
    assert (finding.status, finding.reason) == (Status.ERROR, Reason.EVIDENCE_MISSING)


def test_problems_are_named() -> None:
    findings = run_check("CRM-TLS-013", snapshot_from_values(FIXTURES / "mixed.json"))
    messages = {finding.resource: finding.message for finding in findings}
    assert messages["cookie:sid"] == "Cookie sid: no HttpOnly, SameSite=None."
    assert messages["cookie:tracking"] == "Cookie tracking: no SameSite."


def test_exemptions_are_a_parameter() -> None:
    findings = run_check("CRM-TLS-013", snapshot_from_values(FIXTURES / "mixed.json"), http_only_exempt=[])
    assert {finding.resource: finding.status for finding in findings}["cookie:csrftoken"] is Status.FAIL
