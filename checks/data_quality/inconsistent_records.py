"""CRM-DQ-005: cRM records use consistent values."""

from crmsec.plugin import METRICS_COMPUTED, Dimension, Evidence, Finding, Limits, Severity, check, metric_threshold

METRIC = "inconsistent_record_rate"


@check(
    id="CRM-DQ-005",
    title="CRM records use consistent values",
    dimension=Dimension.DATA_QUALITY,
    severity=Severity.LOW,
    requires=("data.quality", METRICS_COMPUTED),
    params={"warn_above": 5, "fail_above": 15},
    rationale=(
        "The same country or status written five ways breaks filters, territory rules and reports, and makes "
        "the data inaccurate for everyone downstream."
    ),
    remediation=(
        "Replace free-text fields such as country with picklists or validation rules, normalise the existing "
        "values, and keep the inconsistent share under warn_above percent."
    ),
    references=("https://gdpr-info.eu/art-5-gdpr/",),
    frameworks={
        "soc2": ("PI1.3", "PI1.5"),
        "gdpr": ("Art. 5(1)(d)",),
        "pipl": ("Art. 8",),
    },
)
def inconsistent_records(evidence: Evidence, *, warn_above: float, fail_above: float) -> list[Finding]:
    """FAIL above fail_above, WARN above warn_above, else PASS.

    The value is metric `inconsistent_record_rate` (docs/metrics.md), read from `metrics.computed`.
    """
    return metric_threshold(
        evidence,
        METRIC,
        Limits.above(warn_above, fail_above),
        label="Inconsistent record share",
        unit="%",
        undefined="No sampled records to compare.",
    )
