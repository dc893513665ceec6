"""CRM-AUTH-004: idle sessions expire."""

from crmsec.plugin import Dimension, Evidence, EvidenceError, Finding, Severity, Status, check


@check(
    id="CRM-AUTH-004",
    title="Idle sessions expire",
    dimension=Dimension.AUTHENTICATION,
    severity=Severity.MEDIUM,
    requires=("auth.session_settings",),
    params={"max_idle_minutes": 30},
    rationale="An unattended, signed-in browser is the cheapest way into a CRM.",
    remediation="Lower the idle session timeout to at most max_idle_minutes.",
    frameworks={
        "iso27001_2022": ("A.8.5",),
        "soc2": ("CC6.1",),
        "nist_csf_2": ("PR.AA-03",),
        "gbt22239_2019_l3": ("8.1.4.1",),
    },
)
def idle_session_timeout(evidence: Evidence, *, max_idle_minutes: int) -> list[Finding]:
    """FAIL when the idle timeout is longer than the limit.

    MANUAL only when the connector says it had no source for the setting (`"source": "unknown"`, e.g. Tryton
    scanned without its server configuration file); any other missing value is unusable evidence (ERROR).
    """
    settings = evidence.mapping("auth.session_settings")
    minutes = settings.get("idle_timeout_minutes")
    if minutes is None and settings.get("source") == "unknown":
        message = "The idle session timeout is not exposed to this scan (no configuration source); check it by hand."
        return [Finding(Status.MANUAL, resource="organization", message=message, details={"actual": None})]
    if not isinstance(minutes, int) or isinstance(minutes, bool):
        raise EvidenceError("auth.session_settings lacks an integer idle_timeout_minutes")
    status = Status.PASS if minutes <= max_idle_minutes else Status.FAIL
    message = f"Idle timeout is {minutes} min (limit {max_idle_minutes})."
    return [
        Finding(status, resource="organization", message=message,
                details={"actual": minutes, "limit": max_idle_minutes})
    ]  # fmt: skip
