"""CRM-STAB-004: incidents are rare."""

from crmsec.plugin import Dimension, Evidence, EvidenceError, Finding, JsonValue, Severity, Status, check

METRICS = "metrics.computed"
METRIC = "failure_rate"


@check(
    id="CRM-STAB-004",
    title="Incidents are rare",
    dimension=Dimension.STABILITY,
    severity=Severity.MEDIUM,
    requires=("inputs.incidents", METRICS),
    params={"warn_above": 2, "fail_above": 4},
    rationale=(
        "Frequent incidents erode trust in the CRM faster than any single outage, and push users back to spreadsheets."
    ),
    remediation=(
        "Run post-incident reviews, fix the recurring causes first, and keep the incident rate under "
        "warn_below per month (fail_above is the ceiling)."
    ),
    references=(
        "https://sre.google/sre-book/service-level-objectives/",
        "https://www.iso.org/standard/27001",
    ),
    frameworks={
        "iso27001_2022": ("A.5.27", "A.8.6"),
        "soc2": ("A1.2", "CC7.4"),
        "nist_csf_2": ("ID.IM-03",),
    },
)
def failure_rate(evidence: Evidence, *, warn_above: float, fail_above: float) -> list[Finding]:
    """FAIL above fail_above, WARN above warn_above, else PASS.

    The value is metric `failure_rate` (docs/metrics.md), read from `metrics.computed`.
    """
    metric = evidence.mapping(METRICS).get(METRIC)
    if not isinstance(metric, dict):
        raise EvidenceError(f"{METRICS} lacks {METRIC}")
    value = metric.get("value")
    if value is None:
        message = "The observed window is empty."
        return [Finding(Status.NOT_APPLICABLE, resource="organization", message=message)]
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise EvidenceError(f"{METRICS}: {METRIC} is not a number")
    status = Status.FAIL if value > fail_above else Status.WARN if value > warn_above else Status.PASS
    limits = f"warn above {warn_above:g}, fail above {fail_above:g}"
    message = f"Failure rate is {value:g} per month ({limits})."
    details: dict[str, JsonValue] = {"actual": value, "warn_above": warn_above, "fail_above": fail_above}
    details["source"] = metric.get("source")
    extra = metric.get("details")
    if isinstance(extra, dict) and isinstance(extra.get("by_object"), dict):
        details["by_object"] = dict(sorted(extra["by_object"].items())[:20])
    return [Finding(status, resource="organization", message=message, details=details)]
