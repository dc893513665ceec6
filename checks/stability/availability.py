"""CRM-STAB-005: the CRM is available (outage time in the window)."""

from crmsec.plugin import METRICS_COMPUTED, Dimension, Evidence, Finding, Limits, Severity, check, metric_threshold

METRIC = "availability"


@check(
    id="CRM-STAB-005",
    title="The CRM is available (outage time in the window)",
    dimension=Dimension.STABILITY,
    severity=Severity.HIGH,
    requires=("inputs.incidents", METRICS_COMPUTED),
    params={"warn_below": 99.5, "fail_below": 99.0},
    rationale=(
        "Outage hours are hours without customer history, quotes or case handling; availability below the "
        "agreed level is a business-continuity gap."
    ),
    remediation=(
        "Agree an availability objective with the business, hold the vendor to its SLA, add redundancy for "
        "integrations that fail with the CRM, and keep availability at or above warn_below percent."
    ),
    references=(
        "https://sre.google/sre-book/service-level-objectives/",
        "https://www.iso.org/standard/27001",
    ),
    frameworks={
        "iso27001_2022": ("A.5.30", "A.8.14"),
        "soc2": ("A1.2",),
        "nist_csf_2": ("PR.IR-03",),
    },
)
def availability(evidence: Evidence, *, warn_below: float, fail_below: float) -> list[Finding]:
    """FAIL below fail_below, WARN below warn_below, else PASS.

    The value is metric `availability` (docs/metrics.md), read from `metrics.computed`.
    """
    return metric_threshold(
        evidence,
        METRIC,
        Limits.below(warn_below, fail_below),
        label="Availability",
        unit="%",
        undefined="The observed window is empty.",
    )
