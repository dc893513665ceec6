"""CRM-AUTH-018: sso_mfa."""

from pathlib import Path

import pytest

from crmsec.errors import Reason
from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

FIXTURES = Path(__file__).parent / "sso_mfa"
CASES = [
    ("pass", Status.PASS, None),
    ("fail", Status.MANUAL, None),  # the worst this check can say: a human must look at the IdP
    ("missing", Status.ERROR, Reason.EVIDENCE_MISSING),
]


@pytest.mark.parametrize(("case", "status", "reason"), CASES)
def test_sso_mfa(case: str, status: Status, reason: Reason | None) -> None:
    [finding] = run_check("CRM-AUTH-018", snapshot_from_values(FIXTURES / f"{case}.json"))
    assert (finding.status, finding.reason, finding.resource) == (status, reason, "organization")


def test_without_sso_the_check_does_not_apply() -> None:
    [finding] = run_check("CRM-AUTH-018", snapshot_from_values({"auth.sso": {"enabled": False, "providers": []}}))
    assert finding.status is Status.NOT_APPLICABLE


def test_sso_without_mfa_evidence_is_manual_never_pass() -> None:
    values = {"auth.sso": {"enabled": True, "providers": [{"name": "Corp IdP", "protocol": "oidc"}]}}
    [finding] = run_check("CRM-AUTH-018", snapshot_from_values(values))
    assert (finding.status, finding.details["providers"]) == (Status.MANUAL, ["Corp IdP"])
