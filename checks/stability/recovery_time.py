"""CRM-STAB-003: incidents are resolved quickly (MTTR)."""

from crmsec.plugin import Dimension, Evidence, EvidenceError, Finding, JsonValue, Severity, Status, check

METRICS = "metrics.computed"
METRIC = "mttr_hours"


@check(
    id="CRM-STAB-003",
    title="Incidents are resolved quickly (MTTR)",
    dimension=Dimension.STABILITY,
    severity=Severity.MEDIUM,
    requires=("inputs.incidents", METRICS),
    params={"warn_above": 4, "fail_above": 24},
    rationale=(
        "The time to recover decides how much selling and service stops per incident; a long mean shows "
        "missing runbooks, monitoring or vendor escalation paths."
    ),
    remediation=(
        "Write and rehearse runbooks for the frequent incident types, alert on them, agree escalation times "
        "with the vendor, and bring the mean time to recover under warn_below hours."
    ),
    references=(
        "https://sre.google/sre-book/service-level-objectives/",
        "https://www.iso.org/standard/27001",
    ),
    frameworks={
        "iso27001_2022": ("A.5.26", "A.5.30"),
        "soc2": ("A1.2", "CC7.5"),
        "nist_csf_2": ("RS.MI-02", "RC.RP-01"),
    },
)
def recovery_time(evidence: Evidence, *, warn_above: float, fail_above: float) -> list[Finding]:
    """FAIL above fail_above, WARN above warn_above, else PASS.

    The value is metric `mttr_hours` (docs/metrics.md), read from `metrics.computed`.
    """
    metric = evidence.mapping(METRICS).get(METRIC)
    if not isinstance(metric, dict):
        raise EvidenceError(f"{METRICS} lacks {METRIC}")
    value = metric.get("value")
    if value is None:
        message = "No resolved incident in the observed window."
        return [Finding(Status.NOT_APPLICABLE, resource="organization", message=message)]
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise EvidenceError(f"{METRICS}: {METRIC} is not a number")
    status = Status.FAIL if value > fail_above else Status.WARN if value > warn_above else Status.PASS
    limits = f"warn above {warn_above:g}, fail above {fail_above:g}"
    message = f"Mean time to recover is {value:g} h ({limits})."
    details: dict[str, JsonValue] = {"actual": value, "warn_above": warn_above, "fail_above": fail_above}
    details["source"] = metric.get("source")
    extra = metric.get("details")
    if isinstance(extra, dict) and isinstance(extra.get("by_object"), dict):
        details["by_object"] = dict(sorted(extra["by_object"].items())[:20])
    return [Finding(status, resource="organization", message=message, details=details)]
