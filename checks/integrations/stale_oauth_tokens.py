"""CRM-INT-007: OAuth tokens nobody uses are revoked."""

from dataclasses import replace
from datetime import datetime

from crmsec.plugin import Dimension, Evidence, Finding, JsonValue, Severity, Status, check, field_of

KEY = "integrations.oauth_tokens"


@check(
    id="CRM-INT-007",
    title="Unused OAuth tokens are revoked",
    dimension=Dimension.INTEGRATIONS,
    severity=Severity.MEDIUM,
    requires=(KEY,),
    params={"stale_days": 90},
    rationale=(
        "An OAuth grant unused for months still lets its app act as the user; it usually belongs to a tool that "
        "was tried once and forgotten, whose stored tokens are now someone else's risk."
    ),
    remediation=(
        "Revoke OAuth tokens not used for stale_days days (Salesforce: Setup > Connected Apps OAuth Usage, or the "
        "user's Connections), and set refresh tokens to expire when unused."
    ),
    references=(
        "https://help.salesforce.com/s/articleView?id=sf.remoteaccess_request_manage.htm&type=5",
        "https://www.rfc-editor.org/rfc/rfc9700",
    ),
    frameworks={
        "iso27001_2022": ("A.5.18",),
        "soc2": ("CC6.2",),
        "nist_csf_2": ("PR.AA-01",),
        "gbt22239_2019_l3": ("8.1.4.1",),
    },
)
def stale_oauth_tokens(evidence: Evidence, *, stale_days: int) -> list[Finding]:
    """One finding per token (app/user): FAIL when unused, or never used, for more than stale_days days."""
    now = evidence.collected_at(KEY)
    findings = [_judge(evidence, token, now, stale_days) for token in evidence.records(KEY)]
    findings = _unique(findings)
    if not findings:
        message = "No OAuth token was found."
        return [Finding(Status.NOT_APPLICABLE, resource="organization", message=message)]
    return findings


def _unique(findings: list[Finding]) -> list[Finding]:
    """A user may hold several tokens for one app: number repeats (app/user#2) so each finding stays distinct."""
    seen: dict[str, int] = {}
    unique = []
    for finding in findings:
        seen[finding.resource] = seen.get(finding.resource, 0) + 1
        count = seen[finding.resource]
        unique.append(finding if count == 1 else replace(finding, resource=f"{finding.resource}#{count}"))
    return unique


def _judge(evidence: Evidence, token: dict[str, JsonValue], now: datetime, limit: int) -> Finding:
    resource = f"{field_of(token, 'app', str, key=KEY)}/{field_of(token, 'user', str, key=KEY)}"
    last_used = evidence.timestamp(KEY, token.get("last_used_at"))
    created = evidence.timestamp(KEY, token.get("created_at"))
    details: dict[str, JsonValue] = {
        "last_used_at": token.get("last_used_at"),
        "created_at": token.get("created_at"),
        "use_count": token.get("use_count"),
        "limit_days": limit,
    }
    if last_used is not None:
        days = (now - last_used).days
        message = f"OAuth token {resource} was last used {days} days ago (limit {limit})."
    elif created is not None:
        days = (now - created).days
        message = f"OAuth token {resource} was never used; issued {days} days ago (limit {limit})."
    else:
        message = f"OAuth token {resource} has no recorded use or issue time; check it by hand."
        return Finding(Status.MANUAL, resource=resource, message=message, details=details)
    status = Status.FAIL if days > limit else Status.PASS
    return Finding(status, resource=resource, message=message, details={**details, "idle_days": days})
