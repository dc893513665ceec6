"""CRM-INT-005: API keys expire within a bounded lifetime."""

from datetime import datetime

from crmsec.plugin import Dimension, Evidence, Finding, JsonValue, Severity, Status, check, field_of

KEY = "integrations.api_keys"


@check(
    id="CRM-INT-005",
    title="API keys expire within a year",
    dimension=Dimension.INTEGRATIONS,
    severity=Severity.MEDIUM,
    requires=(KEY,),
    params={"max_api_key_lifetime_days": 365},
    rationale=(
        "A key that never expires is never rotated: copies in scripts, CI variables and old laptops keep working "
        "for years, and a leak has no natural end."
    ),
    remediation=(
        "Give every API key an expiry at most max_api_key_lifetime_days days ahead, rotate keys before they "
        "expire, and replace keys without expiry."
    ),
    references=(
        "https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html",
        "https://csrc.nist.gov/pubs/sp/800/57/pt1/r5/final",
    ),
    frameworks={
        "iso27001_2022": ("A.5.17", "A.8.24"),
        "soc2": ("CC6.1",),
        "nist_csf_2": ("PR.AA-01",),
        "gbt22239_2019_l3": ("8.1.4.1",),
    },
)
def api_key_lifetime(evidence: Evidence, *, max_api_key_lifetime_days: int) -> list[Finding]:
    """One finding per active key: FAIL without expiry or expiring beyond the limit (from collection time)."""
    now = evidence.collected_at(KEY)
    findings = [
        _judge(evidence, key, now, max_api_key_lifetime_days)
        for key in evidence.records(KEY)
        if key.get("active") is not False
    ]
    if not findings:
        message = "No active API key was found."
        return [Finding(Status.NOT_APPLICABLE, resource="organization", message=message)]
    return findings


def _judge(evidence: Evidence, key: dict[str, JsonValue], now: datetime, limit: int) -> Finding:
    name = field_of(key, "name", str, key=KEY)
    expires = evidence.timestamp(KEY, key.get("expires_at"))
    details: dict[str, JsonValue] = {
        "owner": key.get("owner"),
        "expires_at": key.get("expires_at"),
        "limit_days": limit,
    }
    if expires is None:
        return Finding(Status.FAIL, resource=name, message=f"API key {name} never expires.", details=details)
    days = (expires - now).days
    details["days_left"] = days
    message = f"API key {name} expires in {days} days (limit {limit})."
    return Finding(Status.FAIL if days > limit else Status.PASS, resource=name, message=message, details=details)
