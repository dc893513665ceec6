"""CRM-STAB-003: incidents are resolved quickly (MTTR)."""

from crmsec.plugin import METRICS_COMPUTED, Dimension, Evidence, Finding, Limits, Severity, check, metric_threshold

METRIC = "mttr_hours"


@check(
    id="CRM-STAB-003",
    title="Incidents are resolved quickly (MTTR)",
    dimension=Dimension.STABILITY,
    severity=Severity.MEDIUM,
    requires=("inputs.incidents", METRICS_COMPUTED),
    params={"warn_above": 4, "fail_above": 24},
    rationale=(
        "The time to recover decides how much selling and service stops per incident; a long mean shows "
        "missing runbooks, monitoring or vendor escalation paths."
    ),
    remediation=(
        "Write and rehearse runbooks for the frequent incident types, alert on them, agree escalation times "
        "with the vendor, and bring the mean time to recover under warn_above hours."
    ),
    references=(
        "https://sre.google/sre-book/service-level-objectives/",
        "https://www.iso.org/standard/27001",
    ),
    frameworks={
        "iso27001_2022": ("A.5.26", "A.5.30"),
        "soc2": ("A1.2", "CC7.5"),
        "nist_csf_2": ("RS.MI-02", "RC.RP-01"),
    },
)
def recovery_time(evidence: Evidence, *, warn_above: float, fail_above: float) -> list[Finding]:
    """FAIL above fail_above, WARN above warn_above, else PASS.

    The value is metric `mttr_hours` (docs/metrics.md), read from `metrics.computed`.
    """
    return metric_threshold(
        evidence,
        METRIC,
        Limits.above(warn_above, fail_above),
        label="Mean time to recover",
        unit=" h",
        undefined="No resolved incident in the observed window.",
    )
