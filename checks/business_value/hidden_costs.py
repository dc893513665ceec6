"""CRM-BIZ-005: hidden costs are a small share of the total."""

from crmsec.plugin import METRICS_COMPUTED, Dimension, Evidence, Finding, Limits, Severity, check, metric_threshold

METRIC = "hidden_cost_share"


@check(
    id="CRM-BIZ-005",
    title="Hidden costs are a small share of the total",
    dimension=Dimension.BUSINESS_VALUE,
    severity=Severity.LOW,
    requires=("inputs.costs", METRICS_COMPUTED),
    params={"warn_above": 25, "fail_above": 50},
    rationale=(
        "Training, integration and downtime costs that exceed a quarter of the total mean the business case "
        "was built on the wrong numbers."
    ),
    remediation=(
        "Budget training, integration and downtime explicitly, reduce them (self-service training, standard "
        "connectors), and keep their share under warn_above percent of the total cost."
    ),
    references=("https://www.gartner.com/en/information-technology/glossary/total-cost-of-ownership-tco",),
    frameworks={
        "nist_csf_2": ("ID.IM-01",),
    },
)
def hidden_costs(evidence: Evidence, *, warn_above: float, fail_above: float) -> list[Finding]:
    """FAIL above fail_above, WARN above warn_above, else PASS.

    The value is metric `hidden_cost_share` (docs/metrics.md), read from `metrics.computed`.
    """
    return metric_threshold(
        evidence,
        METRIC,
        Limits.above(warn_above, fail_above),
        label="Hidden cost share",
        unit="%",
        undefined="The costs add up to zero.",
    )
