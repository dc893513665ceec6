"""CRM-USE-002: licensed users actually use the CRM."""

from crmsec.plugin import Dimension, Evidence, EvidenceError, Finding, JsonValue, Severity, Status, check

METRICS = "metrics.computed"
METRIC = "active_user_rate"


@check(
    id="CRM-USE-002",
    title="Licensed users actually use the CRM",
    dimension=Dimension.USABILITY,
    severity=Severity.MEDIUM,
    requires=("usage.activity", METRICS),
    params={"warn_below": 70, "fail_below": 50},
    rationale=(
        "Licences nobody uses cost money and are dormant accounts an attacker can take over; low activity "
        "also means the CRM does not hold the full customer picture."
    ),
    remediation=(
        "Ask the inactive users' managers why they do not use the CRM, deactivate accounts that are not "
        "needed, and keep the active share at or above warn_below percent."
    ),
    references=("https://www.iso.org/standard/27001",),
    frameworks={
        "iso27001_2022": ("A.5.18",),
        "soc2": ("CC6.2",),
        "nist_csf_2": ("PR.AA-01", "ID.IM-01"),
    },
)
def active_users(evidence: Evidence, *, warn_below: float, fail_below: float) -> list[Finding]:
    """FAIL below fail_below, WARN below warn_below, else PASS.

    The value is metric `active_user_rate` (docs/metrics.md), read from `metrics.computed`.
    """
    metric = evidence.mapping(METRICS).get(METRIC)
    if not isinstance(metric, dict):
        raise EvidenceError(f"{METRICS} lacks {METRIC}")
    value = metric.get("value")
    if value is None:
        message = "No licensed users were counted."
        return [Finding(Status.NOT_APPLICABLE, resource="organization", message=message)]
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise EvidenceError(f"{METRICS}: {METRIC} is not a number")
    status = Status.FAIL if value < fail_below else Status.WARN if value < warn_below else Status.PASS
    limits = f"warn below {warn_below:g}, fail below {fail_below:g}"
    message = f"Active user rate (30 days) is {value:g}% ({limits})."
    details: dict[str, JsonValue] = {"actual": value, "warn_below": warn_below, "fail_below": fail_below}
    details["source"] = metric.get("source")
    extra = metric.get("details")
    if isinstance(extra, dict) and isinstance(extra.get("by_object"), dict):
        details["by_object"] = dict(sorted(extra["by_object"].items())[:20])
    return [Finding(status, resource="organization", message=message, details=details)]
