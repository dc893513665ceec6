"""CRM-DQ-003: invalid email and phone rates."""

import json
from pathlib import Path

import pytest

from crmsec.errors import Reason
from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

FIXTURES = Path(__file__).parent / "contact_validity"
CHECK = "CRM-DQ-003"
CASES = [
    ("pass", [("email", Status.PASS, None), ("phone", Status.PASS, None)]),
    ("fail", [("email", Status.FAIL, None), ("phone", Status.FAIL, None)]),
    ("missing", [("organization", Status.ERROR, Reason.EVIDENCE_MISSING)]),
]


def values(case: str) -> dict:
    return json.loads((FIXTURES / f"{case}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize(("case", "expected"), CASES)
def test_contact_validity(case: str, expected: list) -> None:
    findings = run_check(CHECK, snapshot_from_values(FIXTURES / f"{case}.json"))
    assert sorted((f.resource, f.status, f.reason) for f in findings) == expected


def test_source_not_supplied_is_not_applicable() -> None:
    data = values("pass")
    data["data.quality"] = {"__error__": {"reason": "not_supported", "message": "not provided"}}
    [finding] = run_check(CHECK, snapshot_from_values(data))
    assert (finding.status, finding.reason) == (Status.NOT_APPLICABLE, Reason.NOT_SUPPORTED)


def test_unsampled_channel_is_skipped() -> None:
    data = values("pass")
    data["metrics.computed"]["invalid_phone_rate"]["value"] = None
    data["metrics.computed"]["invalid_email_rate"]["value"] = 3.0
    findings = run_check(CHECK, snapshot_from_values(data))
    assert [(f.resource, f.status) for f in findings] == [("email", Status.WARN)]


def test_no_channel_sampled_is_not_applicable() -> None:
    data = values("pass")
    for metric in ("invalid_phone_rate", "invalid_email_rate"):
        data["metrics.computed"][metric]["value"] = None
    [finding] = run_check(CHECK, snapshot_from_values(data))
    assert finding.status is Status.NOT_APPLICABLE
