"""CRM-AUD-002: configuration changes are recorded and kept long enough to investigate."""

from crmsec.plugin import Dimension, Evidence, EvidenceError, Finding, JsonValue, Severity, Status, check

KEY = "audit.settings"


@check(
    id="CRM-AUD-002",
    title="Setup audit trail is on and retained",
    dimension=Dimension.AUDIT_LOGGING,
    severity=Severity.HIGH,
    requires=(KEY,),
    params={"min_audit_retention_days": 180},
    rationale=(
        "Changes to profiles, sharing, login policies and connected apps are how attackers keep access; without "
        "a trail of who changed what, such a change cannot be found or attributed."
    ),
    remediation=(
        "Keep the setup audit trail on and retain it for at least min_audit_retention_days days; export it to a "
        "SIEM or log archive when the platform keeps it for less."
    ),
    references=(
        "https://help.salesforce.com/s/articleView?id=sf.admin_monitorsetup.htm&type=5",
        "https://csrc.nist.gov/pubs/sp/800/92/final",
    ),
    frameworks={
        "iso27001_2022": ("A.8.15", "A.8.32"),
        "soc2": ("CC7.2", "CC8.1"),
        "nist_csf_2": ("DE.CM-09", "PR.PS-04"),
        "gdpr": ("Art. 32",),
        "gbt22239_2019_l3": ("8.1.4.3",),
    },
)
def setup_audit_trail(evidence: Evidence, *, min_audit_retention_days: int) -> list[Finding]:
    """FAIL when the trail is off or kept too briefly; MANUAL when the platform does not say."""
    trail = evidence.mapping(KEY).get("setup_audit_trail")
    if not isinstance(trail, dict):
        raise EvidenceError(f"{KEY} lacks a setup_audit_trail object")
    enabled, days = trail.get("enabled"), trail.get("retention_days")
    if days is not None and (isinstance(days, bool) or not isinstance(days, int)):
        raise EvidenceError(f"{KEY}: setup_audit_trail.retention_days should be an integer or null")
    details: dict[str, JsonValue] = {"enabled": enabled, "retention_days": days, "limit": min_audit_retention_days}
    if enabled is False:
        return [_finding(Status.FAIL, "The setup audit trail is off.", details)]
    if enabled is None or days is None:
        return [
            _finding(Status.MANUAL, "The platform does not say whether and how long setup changes are kept.", details)
        ]
    status = Status.PASS if days >= min_audit_retention_days else Status.FAIL
    message = f"The setup audit trail is on and kept {days} days (minimum {min_audit_retention_days})."
    return [_finding(status, message, details)]


def _finding(status: Status, message: str, details: dict[str, JsonValue]) -> Finding:
    return Finding(status, resource="organization", message=message, details=details)
