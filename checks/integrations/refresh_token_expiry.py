"""CRM-INT-002: connected-app refresh tokens expire."""

from crmsec.plugin import Dimension, Evidence, EvidenceError, Finding, JsonValue, Severity, Status, check, field_of

KEY = "integrations.connected_apps"


@check(
    id="CRM-INT-002",
    title="Refresh tokens of connected apps expire",
    dimension=Dimension.INTEGRATIONS,
    severity=Severity.HIGH,
    requires=(KEY,),
    params={"max_refresh_token_days": 90},
    rationale=(
        "A refresh token that never expires keeps working after the integration is abandoned, the laptop is lost "
        "or the vendor is breached; nobody is prompted to notice."
    ),
    remediation=(
        "Set the connected app's refresh token policy to expire (Salesforce: 'Expire refresh token after' or "
        "'if not used for') within max_refresh_token_days days, and revoke tokens nobody uses."
    ),
    references=(
        "https://help.salesforce.com/s/articleView?id=sf.connected_app_manage_oauth.htm&type=5",
        "https://www.rfc-editor.org/rfc/rfc9700",
    ),
    frameworks={
        "iso27001_2022": ("A.5.17", "A.8.5"),
        "soc2": ("CC6.1", "CC6.2"),
        "nist_csf_2": ("PR.AA-01", "PR.AA-05"),
        "gbt22239_2019_l3": ("8.1.4.1",),
    },
)
def refresh_token_expiry(evidence: Evidence, *, max_refresh_token_days: int) -> list[Finding]:
    """One finding per app: FAIL for "infinite", WARN for a validity over the limit, MANUAL when unknown."""
    apps = evidence.records(KEY)
    if not apps:
        message = "No connected app or external client app is configured."
        return [Finding(Status.NOT_APPLICABLE, resource="organization", message=message)]
    return [_judge(app, max_refresh_token_days) for app in apps]


def _judge(app: dict[str, JsonValue], limit: int) -> Finding:
    name = field_of(app, "name", str, key=KEY)
    policy, days = app.get("refresh_token_policy"), app.get("refresh_token_validity_days")
    if days is not None and (isinstance(days, bool) or not isinstance(days, int | float)):
        raise EvidenceError(f"{KEY}: {name} has a refresh_token_validity_days that is not a number")
    details: dict[str, JsonValue] = {"policy": policy, "validity_days": days, "limit_days": limit}
    if policy == "infinite":
        status, message = Status.FAIL, f"Refresh tokens of {name} never expire."
    elif policy == "none":
        status, message = Status.PASS, f"{name} issues no refresh tokens."
    elif policy == "expiring" and days is not None:
        status = Status.PASS if days <= limit else Status.WARN
        message = f"Refresh tokens of {name} expire after {days:g} days (limit {limit})."
    elif policy == "expiring":
        status, message = Status.PASS, f"Refresh tokens of {name} expire (validity not reported)."
    elif policy is None:
        status, message = (
            Status.MANUAL,
            f"The platform does not say whether refresh tokens of {name} expire{_reason(app)}",
        )
    else:
        raise EvidenceError(f"{KEY}: {name} has an unknown refresh_token_policy {policy!r}")
    return Finding(status, resource=name, message=message, details=details)


def _reason(app: dict[str, JsonValue]) -> str:
    """ ": <why the platform could not tell>." from the entry's `note`, or "." without one."""
    note = app.get("note")
    return f": {note}." if isinstance(note, str) and note else "."
