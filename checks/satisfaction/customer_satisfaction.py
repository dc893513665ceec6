"""CRM-SAT-002: users are satisfied with the CRM (CSAT)."""

from crmsec.plugin import METRICS_COMPUTED, Dimension, Evidence, Finding, Limits, Severity, check, metric_threshold

METRIC = "csat"


@check(
    id="CRM-SAT-002",
    title="Users are satisfied with the CRM (CSAT)",
    dimension=Dimension.SATISFACTION,
    severity=Severity.MEDIUM,
    requires=("inputs.survey", METRICS_COMPUTED),
    params={"warn_below": 80, "fail_below": 60},
    rationale=(
        "Satisfaction predicts whether people keep entering data; a low share of satisfied users precedes "
        "shadow tools and data loss."
    ),
    remediation=(
        "Address the most frequent complaints in the survey themes, then re-survey until at least warn_below "
        "percent answer 4 or 5."
    ),
    references=("https://www.usability.gov/how-to-and-tools/methods/system-usability-scale.html",),
    frameworks={
        "nist_csf_2": ("ID.IM-01",),
    },
)
def customer_satisfaction(evidence: Evidence, *, warn_below: float, fail_below: float) -> list[Finding]:
    """FAIL below fail_below, WARN below warn_below, else PASS.

    The value is metric `csat` (docs/metrics.md), read from `metrics.computed`.
    """
    return metric_threshold(
        evidence,
        METRIC,
        Limits.below(warn_below, fail_below),
        label="CSAT (share of 4-5 answers)",
        unit="%",
        undefined="No respondent answered the CSAT question.",
    )
