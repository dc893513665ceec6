"""CRM-AUTH-017: width of org-wide trusted IP ranges."""

from pathlib import Path

import pytest

from crmsec.errors import Reason
from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

FIXTURES = Path(__file__).parent / "trusted_ip_ranges"
CASES = [
    ("pass", [("10.20.0.0-10.20.255.255", Status.PASS, None), ("203.0.113.0-203.0.113.255", Status.PASS, None)]),
    ("fail", [("0.0.0.0-255.255.255.255", Status.FAIL, None), ("10.20.0.0-10.20.255.255", Status.PASS, None)]),
    ("missing", [("organization", Status.ERROR, Reason.EVIDENCE_MISSING)]),
]


@pytest.mark.parametrize(("case", "expected"), CASES)
def test_trusted_ip_ranges(case: str, expected: list[tuple[str, Status, Reason | None]]) -> None:
    findings = run_check("CRM-AUTH-017", snapshot_from_values(FIXTURES / f"{case}.json"))
    assert sorted((f.resource, f.status, f.reason) for f in findings) == expected


def test_no_trusted_range_passes() -> None:
    [finding] = run_check("CRM-AUTH-017", snapshot_from_values({"auth.login_ip_ranges": {"org": []}}))
    assert (finding.status, finding.resource) == (Status.PASS, "organization")


def test_unknown_ranges_are_manual() -> None:
    [finding] = run_check("CRM-AUTH-017", snapshot_from_values({"auth.login_ip_ranges": {"org": None}}))
    assert finding.status is Status.MANUAL


def test_ipv6_site_prefix_is_narrow_enough() -> None:
    ranges = {"org": [{"start": "2001:db8::", "end": "2001:db8:0:ffff:ffff:ffff:ffff:ffff"}]}
    [finding] = run_check("CRM-AUTH-017", snapshot_from_values({"auth.login_ip_ranges": ranges}))
    assert finding.status is Status.PASS
