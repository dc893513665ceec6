"""CRM-DQ-001: key fields of CRM records are filled in."""

from crmsec.plugin import METRICS_COMPUTED, Dimension, Evidence, Finding, Limits, Severity, check, metric_threshold

METRIC = "data_completeness"


@check(
    id="CRM-DQ-001",
    title="Key fields of CRM records are filled in",
    dimension=Dimension.DATA_QUALITY,
    severity=Severity.MEDIUM,
    requires=("data.quality", METRICS_COMPUTED),
    params={"warn_below": 90, "fail_below": 70},
    rationale=(
        "Records without an email, phone or owner cannot be worked or reconciled; gaps in key fields silently"
        " shrink every report and campaign built on them."
    ),
    remediation=(
        "Make the key fields required on the layouts and in integrations, backfill the gaps the per-object "
        "figures show, and keep completeness at or above warn_below percent (fail_below is the floor)."
    ),
    references=("https://gdpr-info.eu/art-5-gdpr/",),
    frameworks={
        "soc2": ("PI1.2", "PI1.5"),
        "gdpr": ("Art. 5(1)(d)",),
        "pipl": ("Art. 8",),
    },
)
def data_completeness(evidence: Evidence, *, warn_below: float, fail_below: float) -> list[Finding]:
    """FAIL below fail_below, WARN below warn_below, else PASS.

    The value is metric `data_completeness` (docs/metrics.md), read from `metrics.computed`.
    """
    return metric_threshold(
        evidence,
        METRIC,
        Limits.below(warn_below, fail_below),
        label="Key-field completeness",
        unit="%",
        undefined="No sampled records with key fields, so completeness is undefined.",
    )
