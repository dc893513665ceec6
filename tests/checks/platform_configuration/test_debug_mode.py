"""CRM-CFG-001: debug mode over platform.config."""

from pathlib import Path

import pytest

from crmsec.errors import Reason
from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

FIXTURES = Path(__file__).parent / "debug_mode"
SAFE = snapshot_from_values(FIXTURES / "pass.json").values()["platform.config"]
CASES = [
    ("pass", Status.PASS, None),
    ("fail", Status.FAIL, None),
    ("missing", Status.ERROR, Reason.EVIDENCE_MISSING),
    ("unknown", Status.MANUAL, None),
]


@pytest.mark.parametrize(("case", "status", "reason"), CASES)
def test_debug_mode(case: str, status: Status, reason: Reason | None) -> None:
    snapshot = snapshot_from_values(FIXTURES / f"{case}.json", platform="bottlecrm")
    [finding] = run_check("CRM-CFG-001", snapshot)
    assert (finding.status, finding.reason, finding.resource) == (status, reason, "organization")


@pytest.mark.parametrize(
    "config", [{**SAFE, "debug_mode": "yes"}, {k: v for k, v in SAFE.items() if k != "debug_mode"}]
)
def test_debug_mode_malformed_evidence_is_an_error(config: dict[str, object]) -> None:
    [finding] = run_check("CRM-CFG-001", snapshot_from_values({"platform.config": config}))
    assert (finding.status, finding.reason) == (Status.ERROR, Reason.EVIDENCE_UNUSABLE)


def test_debug_mode_collection_error_is_never_pass() -> None:
    failed = {"platform.config": {"__error__": {"reason": "timeout", "message": "GET /: timed out"}}}
    [finding] = run_check("CRM-CFG-001", snapshot_from_values(failed))
    assert (finding.status, finding.reason) == (Status.ERROR, Reason.TIMEOUT)
