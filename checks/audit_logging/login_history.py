"""CRM-AUD-003: logins are recorded and the history is kept."""

from crmsec.plugin import Dimension, Evidence, EvidenceError, Finding, JsonValue, Severity, Status, check

KEY = "audit.settings"


@check(
    id="CRM-AUD-003",
    title="Login history is recorded and retained",
    dimension=Dimension.AUDIT_LOGGING,
    severity=Severity.MEDIUM,
    requires=(KEY,),
    params={"min_login_history_days": 180},
    rationale=(
        "Login history shows credential stuffing, logins from unexpected places and the first step of an account "
        "takeover; it is also what investigators ask for first."
    ),
    remediation=(
        "Keep login history on and retain it for at least min_login_history_days days; where the platform keeps "
        "less (Salesforce keeps six months), export it regularly to a log archive or SIEM."
    ),
    references=(
        "https://help.salesforce.com/s/articleView?id=sf.users_login_history.htm&type=5",
        "https://csrc.nist.gov/pubs/sp/800/92/final",
    ),
    frameworks={
        "iso27001_2022": ("A.8.15", "A.8.16"),
        "soc2": ("CC7.2",),
        "nist_csf_2": ("DE.CM-09",),
        "gbt22239_2019_l3": ("8.1.4.3",),
    },
)
def login_history(evidence: Evidence, *, min_login_history_days: int) -> list[Finding]:
    """FAIL when off or kept too briefly, WARN when on but empty, MANUAL when the platform does not say."""
    history = evidence.mapping(KEY).get("login_history")
    if not isinstance(history, dict):
        raise EvidenceError(f"{KEY} lacks a login_history object")
    enabled, days, recent = history.get("enabled"), history.get("retention_days"), history.get("recent_logins")
    for name, value in (("retention_days", days), ("recent_logins", recent)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise EvidenceError(f"{KEY}: login_history.{name} should be an integer or null")
    details: dict[str, JsonValue] = {
        "enabled": enabled,
        "retention_days": days,
        "recent_logins": recent,
        "limit": min_login_history_days,
    }
    if enabled is False:
        return [_finding(Status.FAIL, "Login history is not recorded.", details)]
    if enabled is None or days is None:
        return [_finding(Status.MANUAL, "The platform does not say whether and how long logins are kept.", details)]
    if days < min_login_history_days:
        message = f"Login history is kept {days} days (minimum {min_login_history_days})."
        return [_finding(Status.FAIL, message, details)]
    if recent == 0:
        message = f"Login history is on and kept {days} days, but holds no recent logins; check that it records."
        return [_finding(Status.WARN, message, details)]
    message = f"Login history is on and kept {days} days (minimum {min_login_history_days})."
    return [_finding(Status.PASS, message, details)]


def _finding(status: Status, message: str, details: dict[str, JsonValue]) -> Finding:
    return Finding(status, resource="organization", message=message, details=details)
