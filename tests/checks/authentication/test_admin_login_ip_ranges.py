"""CRM-AUTH-016: login IP ranges on admin profiles."""

from pathlib import Path

import pytest

from crmsec.errors import Reason
from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

FIXTURES = Path(__file__).parent / "admin_login_ip_ranges"
CASES = [
    ("pass", [("profile:Delegated Admin", Status.PASS, None), ("profile:System Administrator", Status.PASS, None)]),
    (
        "fail",
        [
            ("profile:Delegated Admin", Status.FAIL, None),
            ("profile:Ops Admin", Status.PASS, None),
            ("profile:System Administrator", Status.FAIL, None),
        ],
    ),
    ("missing", [("organization", Status.ERROR, Reason.EVIDENCE_MISSING)]),
]


@pytest.mark.parametrize(("case", "expected"), CASES)
def test_admin_login_ip_ranges(case: str, expected: list[tuple[str, Status, Reason | None]]) -> None:
    findings = run_check("CRM-AUTH-016", snapshot_from_values(FIXTURES / f"{case}.json"))
    assert sorted((f.resource, f.status, f.reason) for f in findings) == expected


def test_width_limit_is_a_parameter() -> None:
    findings = run_check("CRM-AUTH-016", snapshot_from_values(FIXTURES / "pass.json"), max_ip_range_addresses=256)
    assert {f.resource: f.status for f in findings}["profile:System Administrator"] is Status.FAIL


def test_invalid_address_is_unusable() -> None:
    profiles = [{"name": "Admin", "is_admin": True, "login_ip_ranges": [{"start": "10.0.0", "end": "10.0.0.9"}]}]
    [finding] = run_check("CRM-AUTH-016", snapshot_from_values({"identity.profiles": profiles}))
    assert (finding.status, finding.reason) == (Status.ERROR, Reason.EVIDENCE_UNUSABLE)


def test_unreported_ranges_are_manual_not_fail() -> None:
    profiles = [{"name": "Admin", "is_admin": True, "login_ip_ranges": None}]
    [finding] = run_check("CRM-AUTH-016", snapshot_from_values({"identity.profiles": profiles}))
    assert (finding.resource, finding.status) == ("profile:Admin", Status.MANUAL)


def test_empty_ranges_fail_even_when_the_org_list_is_unknown() -> None:
    profiles = [{"name": "Admin", "is_admin": True, "login_ip_ranges": []}]
    [finding] = run_check("CRM-AUTH-016", snapshot_from_values({"identity.profiles": profiles}))
    assert finding.status is Status.FAIL
