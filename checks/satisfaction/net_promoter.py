"""CRM-SAT-001: users would recommend the CRM (NPS)."""

from crmsec.plugin import METRICS_COMPUTED, Dimension, Evidence, Finding, Limits, Severity, check, metric_threshold

METRIC = "nps"


@check(
    id="CRM-SAT-001",
    title="Users would recommend the CRM (NPS)",
    dimension=Dimension.SATISFACTION,
    severity=Severity.MEDIUM,
    requires=("inputs.survey", METRICS_COMPUTED),
    params={"warn_below": 20, "fail_below": 0},
    rationale=(
        "More detractors than promoters means the people who must keep the CRM accurate would rather not use it."
    ),
    remediation=(
        "Follow up with detractors on the themes in the survey comments, fix the top ones, and re-survey "
        "until NPS reaches warn_below (fail_below is the floor)."
    ),
    references=("https://www.bain.com/consulting-services/customer-strategy-and-marketing/customer-loyalty/",),
    frameworks={
        "nist_csf_2": ("ID.IM-01",),
    },
)
def net_promoter(evidence: Evidence, *, warn_below: float, fail_below: float) -> list[Finding]:
    """FAIL below fail_below, WARN below warn_below, else PASS.

    The value is metric `nps` (docs/metrics.md), read from `metrics.computed`.
    """
    return metric_threshold(
        evidence,
        METRIC,
        Limits.below(warn_below, fail_below),
        label="Net Promoter Score",
        undefined="No respondent answered the NPS question.",
    )
