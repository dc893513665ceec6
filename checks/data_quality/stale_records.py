"""CRM-DQ-004: few CRM records are stale."""

from crmsec.plugin import METRICS_COMPUTED, Dimension, Evidence, Finding, Limits, Severity, check, metric_threshold

METRIC = "stale_record_rate"


@check(
    id="CRM-DQ-004",
    title="Few CRM records are stale",
    dimension=Dimension.DATA_QUALITY,
    severity=Severity.LOW,
    requires=("data.quality", METRICS_COMPUTED),
    params={"warn_above": 20, "fail_above": 40},
    rationale=(
        "Records nobody touched for years are likely wrong, and personal data kept without use breaks the "
        "storage-limitation principle."
    ),
    remediation=(
        "Review records untouched for longer than the connector's stale_months window: update, archive or "
        "delete them under the retention policy, until the stale share is under warn_above percent."
    ),
    references=("https://gdpr-info.eu/art-5-gdpr/",),
    frameworks={
        "gdpr": ("Art. 5(1)(d)", "Art. 5(1)(e)"),
        "pipl": ("Art. 8", "Art. 19"),
        "soc2": ("PI1.5",),
    },
)
def stale_records(evidence: Evidence, *, warn_above: float, fail_above: float) -> list[Finding]:
    """FAIL above fail_above, WARN above warn_above, else PASS.

    The value is metric `stale_record_rate` (docs/metrics.md), read from `metrics.computed`.
    """
    return metric_threshold(
        evidence,
        METRIC,
        Limits.above(warn_above, fail_above),
        label="Stale record share",
        unit="%",
        undefined="No sampled records with a modification time.",
    )
