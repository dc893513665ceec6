"""CRM-STAB-002: few API requests fail."""

from crmsec.plugin import METRICS_COMPUTED, Dimension, Evidence, Finding, Limits, Severity, check, metric_threshold

METRIC = "api_error_rate"


@check(
    id="CRM-STAB-002",
    title="Few API requests fail",
    dimension=Dimension.STABILITY,
    severity=Severity.MEDIUM,
    requires=("stability.api", METRICS_COMPUTED),
    params={"warn_above": 0.5, "fail_above": 1},
    rationale=(
        "Failed requests mean lost updates and broken integrations; a rate above one percent during a read-"
        "only audit points to throttling or an unhealthy service."
    ),
    remediation=(
        "Read the failing endpoints in evidence.json, fix limits, permissions or capacity, and keep the error"
        " rate under warn_above percent (fail_above is the ceiling)."
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
    return metric_threshold(
        evidence,
        METRIC,
        Limits.above(warn_above, fail_above),
        label="API error rate",
        unit="%",
        undefined="No API request was made.",
    )
