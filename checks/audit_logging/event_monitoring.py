"""CRM-AUD-004: event monitoring records logins, logouts, API calls and report exports."""

import re

from crmsec.plugin import Dimension, Evidence, EvidenceError, Finding, JsonValue, Severity, Status, check

KEY = "audit.settings"


@check(
    id="CRM-AUD-004",
    title="Event monitoring covers logins, API calls and report exports",
    dimension=Dimension.AUDIT_LOGGING,
    severity=Severity.MEDIUM,
    requires=(KEY,),
    params={"required_event_types": ["Login", "Logout", "API", "ReportExport"]},
    rationale=(
        "Bulk data theft from a CRM happens through the API and report exports; only event logs of those actions "
        "show who took which data, and login and logout events tie them to sessions."
    ),
    remediation=(
        "Enable event monitoring (Salesforce: Event Monitoring / Shield event log files; self-hosted: application "
        "event logging) for at least the event types in required_event_types, and ship the logs to a SIEM."
    ),
    references=(
        "https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/using_resources_event_log_files.htm",
        "https://csrc.nist.gov/pubs/sp/800/92/final",
    ),
    frameworks={
        "iso27001_2022": ("A.8.15", "A.8.16"),
        "soc2": ("CC7.2",),
        "nist_csf_2": ("DE.CM-09", "DE.CM-03"),
        "gdpr": ("Art. 32",),
        "gbt22239_2019_l3": ("8.1.4.3",),
    },
)
def event_monitoring(evidence: Evidence, *, required_event_types: list[str]) -> list[Finding]:
    """FAIL when off, WARN when required event types are missing, PASS when all are recorded."""
    monitoring = evidence.mapping(KEY).get("event_monitoring")
    if not isinstance(monitoring, dict):
        raise EvidenceError(f"{KEY} lacks an event_monitoring object")
    enabled, types = monitoring.get("enabled"), monitoring.get("event_types")
    if types is not None and (not isinstance(types, list) or not all(isinstance(item, str) for item in types)):
        raise EvidenceError(f"{KEY}: event_monitoring.event_types should be a list of names or null")
    details: dict[str, JsonValue] = {"enabled": enabled, "event_types": types, "required": required_event_types}
    if enabled is False:
        return [_finding(Status.FAIL, "Event monitoring is off.", details)]
    if enabled is None or types is None:
        return [_finding(Status.MANUAL, "The platform does not say which events it monitors.", details)]
    recorded = {_normal(name) for name in types}
    missing = [name for name in required_event_types if _normal(name) not in recorded]
    details["missing"] = missing
    if missing:
        message = f"Event monitoring is on but does not record {', '.join(missing)}."
        return [_finding(Status.WARN, message, details)]
    message = f"Event monitoring records all {len(required_event_types)} required event types."
    return [_finding(Status.PASS, message, details)]


def _normal(name: str) -> str:
    """Event type names compare without case or separators (ReportExport, report_export, REPORT-EXPORT)."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _finding(status: Status, message: str, details: dict[str, JsonValue]) -> Finding:
    return Finding(status, resource="organization", message=message, details=details)
