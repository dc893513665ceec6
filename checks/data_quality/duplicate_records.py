"""CRM-DQ-002: few CRM records are duplicates."""

from crmsec.plugin import METRICS_COMPUTED, Dimension, Evidence, Finding, Limits, Severity, check, metric_threshold

METRIC = "duplicate_rate"


@check(
    id="CRM-DQ-002",
    title="Few CRM records are duplicates",
    dimension=Dimension.DATA_QUALITY,
    severity=Severity.MEDIUM,
    requires=("data.quality", METRICS_COMPUTED),
    params={"warn_above": 2, "fail_above": 5},
    rationale=(
        "Duplicates split a customer's history across records, double-count pipeline and send the same person"
        " the same message twice; they also make erasure requests incomplete."
    ),
    remediation=(
        "Turn on matching and duplicate rules for leads, contacts and accounts, merge the existing duplicates"
        " (worst objects first) and keep the duplicate rate under warn_above percent (fail_above is the "
        "ceiling)."
    ),
    references=(
        "https://help.salesforce.com/s/articleView?id=sf.managing_duplicates_overview.htm&type=5",
        "https://gdpr-info.eu/art-5-gdpr/",
    ),
    frameworks={
        "soc2": ("PI1.5",),
        "gdpr": ("Art. 5(1)(d)",),
        "pipl": ("Art. 8",),
    },
)
def duplicate_records(evidence: Evidence, *, warn_above: float, fail_above: float) -> list[Finding]:
    """FAIL above fail_above, WARN above warn_above, else PASS.

    The value is metric `duplicate_rate` (docs/metrics.md), read from `metrics.computed`.
    """
    return metric_threshold(
        evidence,
        METRIC,
        Limits.above(warn_above, fail_above),
        label="Duplicate rate",
        unit="%",
        undefined="No sampled records, so the duplicate rate is undefined.",
    )
