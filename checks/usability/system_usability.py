"""CRM-USE-001: users rate the CRM usable (System Usability Scale)."""

from crmsec.plugin import METRICS_COMPUTED, Dimension, Evidence, Finding, Limits, Severity, check, metric_threshold

METRIC = "sus"


@check(
    id="CRM-USE-001",
    title="Users rate the CRM usable (System Usability Scale)",
    dimension=Dimension.USABILITY,
    severity=Severity.MEDIUM,
    requires=("inputs.survey", METRICS_COMPUTED),
    params={"warn_below": 68, "fail_below": 50},
    rationale=(
        "A SUS score under 68 is below the average of published studies and under 50 is poor; hard-to-use "
        "systems get bypassed, and bypassed systems hold stale, incomplete data."
    ),
    remediation=(
        "Simplify the layouts and flows the survey comments name, train on the remaining ones, and re-survey "
        "until the SUS score reaches warn_below (fail_below is the floor)."
    ),
    references=("https://www.usability.gov/how-to-and-tools/methods/system-usability-scale.html",),
    frameworks={
        "nist_csf_2": ("ID.IM-01",),
    },
)
def system_usability(evidence: Evidence, *, warn_below: float, fail_below: float) -> list[Finding]:
    """FAIL below fail_below, WARN below warn_below, else PASS.

    The value is metric `sus` (docs/metrics.md), read from `metrics.computed`.
    """
    return metric_threshold(
        evidence,
        METRIC,
        Limits.below(warn_below, fail_below),
        label="SUS score",
        undefined="No respondent answered all ten SUS items.",
    )
