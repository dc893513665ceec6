"""CRM-BIZ-005: hidden costs are a small share of the total."""

from crmsec.plugin import Dimension, Evidence, EvidenceError, Finding, JsonValue, Severity, Status, check

METRICS = "metrics.computed"
METRIC = "hidden_cost_share"


@check(
    id="CRM-BIZ-005",
    title="Hidden costs are a small share of the total",
    dimension=Dimension.BUSINESS_VALUE,
    severity=Severity.LOW,
    requires=("inputs.costs", METRICS),
    params={"warn_above": 25, "fail_above": 50},
    rationale=(
        "Training, integration and downtime costs that exceed a quarter of the total mean the business case "
        "was built on the wrong numbers."
    ),
    remediation=(
        "Budget training, integration and downtime explicitly, reduce them (self-service training, standard "
        "connectors), and keep their share under warn_below percent of the total cost."
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
    metric = evidence.mapping(METRICS).get(METRIC)
    if not isinstance(metric, dict):
        raise EvidenceError(f"{METRICS} lacks {METRIC}")
    value = metric.get("value")
    if value is None:
        message = "The costs add up to zero."
        return [Finding(Status.NOT_APPLICABLE, resource="organization", message=message)]
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise EvidenceError(f"{METRICS}: {METRIC} is not a number")
    status = Status.FAIL if value > fail_above else Status.WARN if value > warn_above else Status.PASS
    limits = f"warn above {warn_above:g}, fail above {fail_above:g}"
    message = f"Hidden cost share is {value:g}% ({limits})."
    details: dict[str, JsonValue] = {"actual": value, "warn_above": warn_above, "fail_above": fail_above}
    details["source"] = metric.get("source")
    extra = metric.get("details")
    if isinstance(extra, dict) and isinstance(extra.get("by_object"), dict):
        details["by_object"] = dict(sorted(extra["by_object"].items())[:20])
    return [Finding(status, resource="organization", message=message, details=details)]
