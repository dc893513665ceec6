"""CRM-STAB-004: incidents are rare."""

from crmsec.plugin import METRICS_COMPUTED, Dimension, Evidence, Finding, Limits, Severity, check, metric_threshold

METRIC = "failure_rate"


@check(
    id="CRM-STAB-004",
    title="Incidents are rare",
    dimension=Dimension.STABILITY,
    severity=Severity.MEDIUM,
    requires=("inputs.incidents", METRICS_COMPUTED),
    params={"warn_above": 2, "fail_above": 4},
    rationale=(
        "Frequent incidents erode trust in the CRM faster than any single outage, and push users back to spreadsheets."
    ),
    remediation=(
        "Run post-incident reviews, fix the recurring causes first, and keep the incident rate under "
        "warn_above per month (fail_above is the ceiling)."
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
    return metric_threshold(
        evidence,
        METRIC,
        Limits.above(warn_above, fail_above),
        label="Failure rate",
        unit=" per month",
        undefined="The observed window is empty.",
    )
