"""CRM-INT-006: API keys nobody uses are revoked."""

from datetime import datetime

from crmsec.plugin import Dimension, Evidence, Finding, JsonValue, Severity, Status, check, field_of

KEY = "integrations.api_keys"


@check(
    id="CRM-INT-006",
    title="Unused API keys are revoked",
    dimension=Dimension.INTEGRATIONS,
    severity=Severity.MEDIUM,
    requires=(KEY,),
    params={"stale_days": 90},
    rationale=(
        "A key unused for months belongs to an integration that is gone or forgotten; it still opens the API, and "
        "nobody would notice its owner's absence or a thief's first use."
    ),
    remediation=(
        "Revoke active API keys not used for stale_days days (and never-used keys older than that); confirm with "
        "the owner before revoking keys of seasonal jobs, and waive those with an expiry."
    ),
    references=(
        "https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html",
        "https://csrc.nist.gov/pubs/sp/800/53/r5/upd1/final",
    ),
    frameworks={
        "iso27001_2022": ("A.5.18", "A.5.17"),
        "soc2": ("CC6.2",),
        "nist_csf_2": ("PR.AA-01",),
        "gbt22239_2019_l3": ("8.1.4.1",),
    },
)
def stale_api_keys(evidence: Evidence, *, stale_days: int) -> list[Finding]:
    """One finding per active key: FAIL when unused (or never used) for more than stale_days days."""
    now = evidence.collected_at(KEY)
    findings = [
        _judge(evidence, key, now, stale_days) for key in evidence.records(KEY) if key.get("active") is not False
    ]
    if not findings:
        message = "No active API key was found."
        return [Finding(Status.NOT_APPLICABLE, resource="organization", message=message)]
    return findings


def _judge(evidence: Evidence, key: dict[str, JsonValue], now: datetime, limit: int) -> Finding:
    name = field_of(key, "name", str, key=KEY)
    last_used = evidence.timestamp(KEY, key.get("last_used_at"))
    created = evidence.timestamp(KEY, key.get("created_at"))
    details: dict[str, JsonValue] = {
        "owner": key.get("owner"),
        "last_used_at": key.get("last_used_at"),
        "created_at": key.get("created_at"),
        "limit_days": limit,
    }
    if last_used is not None:
        days = (now - last_used).days
        status = Status.FAIL if days > limit else Status.PASS
        message = f"API key {name} was last used {days} days ago (limit {limit})."
    elif created is not None:
        days = (now - created).days
        status = Status.FAIL if days > limit else Status.PASS
        message = f"API key {name} was never used; created {days} days ago (limit {limit})."
    else:
        message = f"API key {name} has no recorded use or creation time; check it by hand."
        return Finding(Status.MANUAL, resource=name, message=message, details=details)
    return Finding(status, resource=name, message=message, details={**details, "idle_days": days})
