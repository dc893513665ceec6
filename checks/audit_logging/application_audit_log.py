"""CRM-AUD-005: a self-hosted CRM keeps an audit log that records security events."""

from crmsec.plugin import Dimension, Evidence, EvidenceError, Finding, JsonValue, Severity, Status, check

KEY = "audit.settings"


@check(
    id="CRM-AUD-005",
    title="The application audit log is on, retained and recording",
    dimension=Dimension.AUDIT_LOGGING,
    severity=Severity.HIGH,
    requires=(KEY,),
    params={"min_audit_retention_days": 180},
    rationale=(
        "A self-hosted CRM has no vendor trail behind it: its own audit log is the only record of logins, "
        "permission changes and exports, and an empty log usually means logging is wired to nowhere."
    ),
    remediation=(
        "Turn on the application audit log, keep it for at least min_audit_retention_days days (ship it to a "
        "central log store), and confirm that logins, failed logins and permission changes appear in it."
    ),
    references=(
        "https://cheatsheetseries.owasp.org/cheatsheets/Logging_Cheat_Sheet.html",
        "https://csrc.nist.gov/pubs/sp/800/92/final",
    ),
    frameworks={
        "iso27001_2022": ("A.8.15",),
        "soc2": ("CC7.2",),
        "nist_csf_2": ("DE.CM-09", "PR.PS-04"),
        "gdpr": ("Art. 32",),
        "gbt22239_2019_l3": ("8.1.4.3",),
    },
)
def application_audit_log(evidence: Evidence, *, min_audit_retention_days: int) -> list[Finding]:
    """FAIL when off or kept too briefly, WARN when it holds no recent security event."""
    log = evidence.mapping(KEY).get("audit_log")
    if log is None:
        message = "The platform reports no application audit log (hosted platforms use their own trails)."
        return [Finding(Status.NOT_APPLICABLE, resource="organization", message=message)]
    if not isinstance(log, dict):
        raise EvidenceError(f"{KEY}: audit_log should be an object or null")
    enabled, days, events = log.get("enabled"), log.get("retention_days"), log.get("recent_security_events")
    for name, value in (("retention_days", days), ("recent_security_events", events)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise EvidenceError(f"{KEY}: audit_log.{name} should be an integer or null")
    details: dict[str, JsonValue] = {
        "enabled": enabled,
        "retention_days": days,
        "recent_security_events": events,
        "limit": min_audit_retention_days,
    }
    status, message = _verdict(enabled, days, events, min_audit_retention_days)
    return [Finding(status, resource="organization", message=message, details=details)]


def _verdict(enabled: JsonValue, days: int | None, events: int | None, limit: int) -> tuple[Status, str]:
    if enabled is False:
        return Status.FAIL, "The application audit log is off."
    if enabled is None or days is None:
        return Status.MANUAL, "The platform does not say whether and how long its audit log is kept."
    if days < limit:
        return Status.FAIL, f"The audit log is kept {days} days (minimum {limit})."
    if events == 0:
        return Status.WARN, f"The audit log is kept {days} days but holds no recent security event."
    return Status.PASS, f"The audit log is on and kept {days} days (minimum {limit})."
