"""CRM-AUD-007: monitored events are kept long enough to investigate an incident."""

from crmsec.plugin import Dimension, Evidence, EvidenceError, Finding, JsonValue, Severity, Status, check

KEY = "audit.settings"


@check(
    id="CRM-AUD-007",
    title="Event logs are retained long enough",
    dimension=Dimension.AUDIT_LOGGING,
    severity=Severity.LOW,
    requires=(KEY,),
    params={"min_event_log_retention_days": 30},
    rationale=(
        "Intrusions are often found weeks after they began; event logs that expire after a day or two are gone "
        "before anyone looks for them."
    ),
    remediation=(
        "Retain event logs for at least min_event_log_retention_days days on the platform (Salesforce: Event "
        "Monitoring license gives 30 days, Shield up to a year) or export them daily to a log archive."
    ),
    references=(
        "https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_eventlogfile.htm",
        "https://csrc.nist.gov/pubs/sp/800/92/final",
    ),
    frameworks={
        "iso27001_2022": ("A.8.15",),
        "soc2": ("CC7.2",),
        "nist_csf_2": ("DE.CM-09",),
        "gbt22239_2019_l3": ("8.1.4.3",),
    },
)
def event_log_retention(evidence: Evidence, *, min_event_log_retention_days: int) -> list[Finding]:
    """FAIL when kept fewer than min_event_log_retention_days days; NOT_APPLICABLE when monitoring is off."""
    monitoring = evidence.mapping(KEY).get("event_monitoring")
    if not isinstance(monitoring, dict):
        raise EvidenceError(f"{KEY} lacks an event_monitoring object")
    enabled, days = monitoring.get("enabled"), monitoring.get("retention_days")
    if days is not None and (isinstance(days, bool) or not isinstance(days, int)):
        raise EvidenceError(f"{KEY}: event_monitoring.retention_days should be an integer or null")
    details: dict[str, JsonValue] = {"retention_days": days, "limit": min_event_log_retention_days}
    if enabled is False:
        message = "Event monitoring is off, so there are no event logs to retain (see CRM-AUD-004)."
        return [Finding(Status.NOT_APPLICABLE, resource="organization", message=message, details=details)]
    if days is None:
        message = "The platform does not say how long event logs are kept."
        return [Finding(Status.MANUAL, resource="organization", message=message, details=details)]
    status = Status.PASS if days >= min_event_log_retention_days else Status.FAIL
    message = f"Event logs are kept {days} days (minimum {min_event_log_retention_days})."
    return [Finding(status, resource="organization", message=message, details=details)]
