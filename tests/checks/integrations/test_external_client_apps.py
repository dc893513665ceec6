"""CRM-INT-001 to 004 on external client apps and on apps whose policies the platform could not read (`note`)."""

import pytest

from crmsec.plugin import Status
from crmsec.testing import run_check, snapshot_from_values

NOTE = "ExtlClntAppOauthConfigurablePolicies could not be read (permission_denied: SOAP fault INSUFFICIENT_ACCESS)"
UNKNOWN = {
    "name": "Partner Portal",
    "kind": "external_client_app",
    "api_name": "Partner_Portal",
    "scopes": None,
    "refresh_token_policy": None,
    "refresh_token_validity_days": None,
    "admin_approved_only": None,
    "ip_relaxed": None,
    "created_at": "2025-09-01T08:00:00Z",
    "note": NOTE,
}
KNOWN = UNKNOWN | {
    "scopes": ["Api", "RefreshToken"],
    "refresh_token_policy": "expiring",
    "refresh_token_validity_days": 62,
    "admin_approved_only": False,
    "ip_relaxed": True,
    "note": None,
}


@pytest.mark.parametrize("check_id", ["CRM-INT-001", "CRM-INT-002", "CRM-INT-003", "CRM-INT-004"])
def test_unreadable_policies_are_manual_with_the_platform_reason(check_id: str) -> None:
    [finding] = run_check(check_id, snapshot_from_values({"integrations.connected_apps": [UNKNOWN]}))
    assert (finding.status, finding.resource) == (Status.MANUAL, "Partner Portal")
    assert finding.message.endswith(f": {NOTE}.")


@pytest.mark.parametrize(
    ("check_id", "status"),
    [("CRM-INT-001", Status.WARN), ("CRM-INT-002", Status.PASS), ("CRM-INT-003", Status.FAIL),
     ("CRM-INT-004", Status.FAIL)],
)  # fmt: skip
def test_external_client_apps_are_judged_like_connected_apps(check_id: str, status: Status) -> None:
    [finding] = run_check(check_id, snapshot_from_values({"integrations.connected_apps": [KNOWN]}))
    assert (finding.status, finding.resource) == (status, "Partner Portal")
