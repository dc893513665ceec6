"""CRM-ENC-004: customer-managed keys, judged only when the profile requires them."""

from pathlib import Path

import pytest

from crmsec.errors import Reason
from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

FIXTURES = Path(__file__).parent / "customer_managed_keys"
CASES = [
    ("pass", False, [("key:02G000000000001", Status.PASS, None)]),
    ("pass", True, [("key:02G000000000001", Status.PASS, None)]),
    ("fail", False, [("organization", Status.NOT_APPLICABLE, None)]),
    ("fail", True, [("key:02G000000000001", Status.FAIL, None)]),
    ("missing", True, [("organization", Status.ERROR, Reason.EVIDENCE_MISSING)]),
]


@pytest.mark.parametrize(("case", "required", "expected"), CASES)
def test_customer_managed_keys(case: str, required: bool, expected: list[tuple[str, Status, Reason | None]]) -> None:
    snapshot = snapshot_from_values(FIXTURES / f"{case}.json")
    findings = run_check("CRM-ENC-004", snapshot, require_customer_managed_keys=required)
    assert sorted((f.resource, f.status, f.reason) for f in findings) == expected


def test_hidden_keys_are_manual_only_when_required() -> None:
    snapshot = snapshot_from_values({"encryption.platform": {"keys": None}})
    [required] = run_check("CRM-ENC-004", snapshot, require_customer_managed_keys=True)
    [optional] = run_check("CRM-ENC-004", snapshot)
    assert (required.status, optional.status) == (Status.MANUAL, Status.NOT_APPLICABLE)
