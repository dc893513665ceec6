"""CRM-STAB-002: few API requests fail."""

from crmsec.plugin import Dimension, Evidence, EvidenceError, Finding, JsonValue, Severity, Status, check

METRICS = "metrics.computed"
METRIC = "api_error_rate"


@check(
    id="CRM-STAB-002",
    title="Few API requests fail",
    dimension=Dimension.STABILITY,
    severity=Severity.MEDIUM,
    requires=("stability.api", METRICS),
    params={"warn_above": 0.5, "fail_above": 1},
    rationale=(
        "Failed requests mean lost updates and broken integrations; a rate above one percent during a read-"
        "only audit points to throttling or an unhealthy service."
    ),
    remediation=(
        "Read the failing endpoints in evidence.json, fix limits, permissions or capacity, and keep the error"
        " rate under warn_below percent (fail_above is the ceiling)."
    ),
    references=("https://sre.google/sre-book/service-level-objectives/",),
    frameworks={
        "iso27001_2022": ("A.8.6", "A.8.16"),
        "soc2": ("A1.1", "CC7.2"),
        "nist_csf_2": ("PR.IR-04", "DE.CM-09"),
    },
)
def api_error_rate(evidence: Evidence, *, warn_above: float, fail_above: float) -> list[Finding]:
    """FAIL above fail_above, WARN above warn_above, else PASS.

    The value is metric `api_error_rate` (docs/metrics.md), read from `metrics.computed`.
    """
    metric = evidence.mapping(METRICS).get(METRIC)
    if not isinstance(metric, dict):
        raise EvidenceError(f"{METRICS} lacks {METRIC}")
    value = metric.get("value")
    if value is None:
        message = "No API request was made."
        return [Finding(Status.NOT_APPLICABLE, resource="organization", message=message)]
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise EvidenceError(f"{METRICS}: {METRIC} is not a number")
    status = Status.FAIL if value > fail_above else Status.WARN if value > warn_above else Status.PASS
    limits = f"warn above {warn_above:g}, fail above {fail_above:g}"
    message = f"API error rate is {value:g}% ({limits})."
    details: dict[str, JsonValue] = {"actual": value, "warn_above": warn_above, "fail_above": fail_above}
    details["source"] = metric.get("source")
    extra = metric.get("details")
    if isinstance(extra, dict) and isinstance(extra.get("by_object"), dict):
        details["by_object"] = dict(sorted(extra["by_object"].items())[:20])
    return [Finding(status, resource="organization", message=message, details=details)]
