"""CRM-TLS-012 security_headers: one finding per header, in a fixed order."""

from pathlib import Path

import pytest

from crmsec.errors import Reason
from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

FIXTURES = Path(__file__).parent / "security_headers"
RESOURCES = [
    "header:content-security-policy",
    "header:x-frame-options",
    "header:x-content-type-options",
    "header:referrer-policy",
]
CASES = [
    ("pass", [Status.PASS, Status.PASS, Status.PASS, Status.PASS]),
    ("fail", [Status.FAIL, Status.FAIL, Status.FAIL, Status.FAIL]),
    ("mixed", [Status.WARN, Status.PASS, Status.PASS, Status.PASS]),
    ("report_only", [Status.FAIL, Status.FAIL, Status.FAIL, Status.WARN]),
    ("nonce", [Status.PASS, Status.FAIL, Status.FAIL, Status.WARN]),
    ("offsite", [Status.MANUAL] * 4),  # another origin answered: its headers say nothing about the target
]


@pytest.mark.parametrize(("case", "statuses"), CASES)
def test_security_headers(case: str, statuses: list[Status]) -> None:
    findings = run_check("CRM-TLS-012", snapshot_from_values(FIXTURES / f"{case}.json"))
    assert [(finding.resource, finding.status) for finding in findings] == list(zip(RESOURCES, statuses, strict=True))


def test_missing() -> None:
    [finding] = run_check("CRM-TLS-012", snapshot_from_values(FIXTURES / "missing.json"))
    assert (finding.status, finding.reason) == (Status.ERROR, Reason.EVIDENCE_MISSING)


def test_messages_explain_the_verdict() -> None:
    findings = run_check("CRM-TLS-012", snapshot_from_values(FIXTURES / "mixed.json"))
    messages = {finding.resource: finding.message for finding in findings}
    assert messages["header:content-security-policy"] == "Content-Security-Policy allows scripts from 'unsafe-inline'."
    assert messages["header:referrer-policy"] == "Referrer-Policy is strict-origin."
    report_only = run_check("CRM-TLS-012", snapshot_from_values(FIXTURES / "report_only.json"))
    assert "report-only" in report_only[0].message


def test_weak_referrer_policies_are_a_parameter() -> None:
    snapshot = snapshot_from_values(FIXTURES / "pass.json")
    findings = run_check("CRM-TLS-012", snapshot, weak_referrer_policies=["strict-origin-when-cross-origin"])
    assert findings[3].status is Status.FAIL
