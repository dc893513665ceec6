"""CRM-BIZ-001: the CRM returns more than it costs over the horizon."""

from crmsec.plugin import METRICS_COMPUTED, Dimension, Evidence, Finding, Limits, Severity, check, metric_threshold

METRIC = "roi"


@check(
    id="CRM-BIZ-001",
    title="The CRM returns more than it costs over the horizon",
    dimension=Dimension.BUSINESS_VALUE,
    severity=Severity.HIGH,
    requires=("inputs.costs", METRICS_COMPUTED),
    params={"warn_below": 10, "fail_below": 0},
    rationale=(
        "A negative return over the evaluation horizon means the CRM destroys value as deployed, however well"
        " it is secured."
    ),
    remediation=(
        "Cut the cost lines that do not pay (unused licences, hidden integration and training costs) and "
        "realise the planned benefits until ROI is at least warn_below percent (fail_below is the floor)."
    ),
    references=("https://www.investopedia.com/terms/r/returnoninvestment.asp",),
    frameworks={
        "nist_csf_2": ("ID.IM-01",),
    },
)
def return_on_investment(evidence: Evidence, *, warn_below: float, fail_below: float) -> list[Finding]:
    """FAIL below fail_below, WARN below warn_below, else PASS.

    The value is metric `roi` (docs/metrics.md), read from `metrics.computed`.
    """
    return metric_threshold(
        evidence,
        METRIC,
        Limits.below(warn_below, fail_below),
        label="ROI over the horizon",
        unit="%",
        undefined="The costs add up to zero, so ROI is undefined.",
    )
