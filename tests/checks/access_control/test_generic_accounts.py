"""CRM-AC-006: generic or shared accounts."""

from pathlib import Path

import pytest

from crmsec.errors import Reason
from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

FIXTURES = Path(__file__).parent / "generic_accounts"
CASES = [
    ("pass", [("organization", Status.PASS, None)]),
    (
        "fail",
        [
            ("admin@example.test", Status.FAIL, None),
            ("sales@example.test", Status.FAIL, None),
            ("test.user2@example.test", Status.FAIL, None),
            ("公共账号@example.cn", Status.FAIL, None),
        ],
    ),
    ("missing", [("organization", Status.ERROR, Reason.EVIDENCE_MISSING)]),
]


@pytest.mark.parametrize(("case", "expected"), CASES)
def test_generic_accounts(case: str, expected: list[tuple[str, Status, Reason | None]]) -> None:
    findings = run_check("CRM-AC-006", snapshot_from_values(FIXTURES / f"{case}.json"))
    assert sorted((f.resource, f.status, f.reason) for f in findings) == expected


def _users(*names: str) -> dict[str, list[dict[str, object]]]:
    return {"identity.users": [{"username": n, "active": True, "user_type": "standard"} for n in names]}


@pytest.mark.parametrize("name", ["a.admin@example.test", "john.test@example.test", "m.sales.lead@example.test"])
def test_a_listed_word_after_a_personal_name_is_not_generic(name: str) -> None:
    [finding] = run_check("CRM-AC-006", snapshot_from_values(_users(name)))
    assert finding.status is Status.PASS


@pytest.mark.parametrize("name", ["support-team@example.test", "temp01@example.test", "shared.user@example.test"])
def test_generic_words_are_flagged(name: str) -> None:
    [finding] = run_check("CRM-AC-006", snapshot_from_values(_users(name)))
    assert (finding.status, finding.resource) == (Status.FAIL, name)


@pytest.mark.parametrize(("name", "status"), [("admin#8c6976e5", Status.FAIL), ("li.wei#0a1b2c3d", Status.PASS)])
def test_masked_logins_that_are_no_email_address_are_judged_by_their_words(name: str, status: Status) -> None:
    [finding] = run_check("CRM-AC-006", snapshot_from_values(_users(name)))
    assert finding.status is status


def test_word_list_is_a_parameter() -> None:
    snapshot = snapshot_from_values(_users("kiosk@example.test", "admin@example.test"))
    [finding] = run_check("CRM-AC-006", snapshot, generic_account_words=["kiosk"])
    assert (finding.status, finding.resource) == (Status.FAIL, "kiosk@example.test")
