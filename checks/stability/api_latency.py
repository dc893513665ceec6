"""CRM-STAB-001: API responses are fast (95th percentile)."""

from crmsec.plugin import METRICS_COMPUTED, Dimension, Evidence, Finding, Limits, Severity, check, metric_threshold

METRIC = "api_latency_p95_ms"


@check(
    id="CRM-STAB-001",
    title="API responses are fast (95th percentile)",
    dimension=Dimension.STABILITY,
    severity=Severity.MEDIUM,
    requires=("stability.api", METRICS_COMPUTED),
    params={"warn_above": 1000, "fail_above": 3000},
    rationale=(
        "When one request in twenty takes seconds, pages and integrations time out under load; latency is the"
        " first sign that capacity is running short."
    ),
    remediation=(
        "Find the slow endpoints (large queries, missing indexes, synchronous triggers), add capacity or "
        "caching, and keep the 95th percentile under warn_above ms (fail_above is the ceiling)."
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
    return metric_threshold(
        evidence,
        METRIC,
        Limits.above(warn_above, fail_above),
        label="API latency p95",
        unit=" ms",
        undefined="No API request was timed.",
    )
