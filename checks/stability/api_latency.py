"""CRM-STAB-001: aPI responses are fast (95th percentile)."""

from crmsec.plugin import Dimension, Evidence, EvidenceError, Finding, JsonValue, Severity, Status, check

METRICS = "metrics.computed"
METRIC = "api_latency_p95_ms"


@check(
    id="CRM-STAB-001",
    title="API responses are fast (95th percentile)",
    dimension=Dimension.STABILITY,
    severity=Severity.MEDIUM,
    requires=("stability.api", METRICS),
    params={"warn_above": 1000, "fail_above": 3000},
    rationale=(
        "When one request in twenty takes seconds, pages and integrations time out under load; latency is the"
        " first sign that capacity is running short."
    ),
    remediation=(
        "Find the slow endpoints (large queries, missing indexes, synchronous triggers), add capacity or "
        "caching, and keep the 95th percentile under warn_below ms (fail_above is the ceiling)."
    ),
    references=(
        "https://sre.google/sre-book/service-level-objectives/",
        "https://www.iso.org/standard/27001",
    ),
    frameworks={
        "iso27001_2022": ("A.8.6",),
        "soc2": ("A1.1",),
        "nist_csf_2": ("PR.IR-04",),
    },
)
def api_latency(evidence: Evidence, *, warn_above: float, fail_above: float) -> list[Finding]:
    """FAIL above fail_above, WARN above warn_above, else PASS.

    The value is metric `api_latency_p95_ms` (docs/metrics.md), read from `metrics.computed`.
    """
    metric = evidence.mapping(METRICS).get(METRIC)
    if not isinstance(metric, dict):
        raise EvidenceError(f"{METRICS} lacks {METRIC}")
    value = metric.get("value")
    if value is None:
        message = "No API request was timed."
        return [Finding(Status.NOT_APPLICABLE, resource="organization", message=message)]
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise EvidenceError(f"{METRICS}: {METRIC} is not a number")
    status = Status.FAIL if value > fail_above else Status.WARN if value > warn_above else Status.PASS
    limits = f"warn above {warn_above:g}, fail above {fail_above:g}"
    message = f"API latency p95 is {value:g} ms ({limits})."
    details: dict[str, JsonValue] = {"actual": value, "warn_above": warn_above, "fail_above": fail_above}
    details["source"] = metric.get("source")
    extra = metric.get("details")
    if isinstance(extra, dict) and isinstance(extra.get("by_object"), dict):
        details["by_object"] = dict(sorted(extra["by_object"].items())[:20])
    return [Finding(status, resource="organization", message=message, details=details)]
