"""CRM-BIZ-001: the CRM returns more than it costs over the horizon."""

from crmsec.plugin import Dimension, Evidence, EvidenceError, Finding, JsonValue, Severity, Status, check

METRICS = "metrics.computed"
METRIC = "roi"


@check(
    id="CRM-BIZ-001",
    title="The CRM returns more than it costs over the horizon",
    dimension=Dimension.BUSINESS_VALUE,
    severity=Severity.HIGH,
    requires=("inputs.costs", METRICS),
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
    metric = evidence.mapping(METRICS).get(METRIC)
    if not isinstance(metric, dict):
        raise EvidenceError(f"{METRICS} lacks {METRIC}")
    value = metric.get("value")
    if value is None:
        message = "The costs add up to zero, so ROI is undefined."
        return [Finding(Status.NOT_APPLICABLE, resource="organization", message=message)]
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise EvidenceError(f"{METRICS}: {METRIC} is not a number")
    status = Status.FAIL if value < fail_below else Status.WARN if value < warn_below else Status.PASS
    limits = f"warn below {warn_below:g}, fail below {fail_below:g}"
    message = f"ROI over the horizon is {value:g}% ({limits})."
    details: dict[str, JsonValue] = {"actual": value, "warn_below": warn_below, "fail_below": fail_below}
    details["source"] = metric.get("source")
    extra = metric.get("details")
    if isinstance(extra, dict) and isinstance(extra.get("by_object"), dict):
        details["by_object"] = dict(sorted(extra["by_object"].items())[:20])
    return [Finding(status, resource="organization", message=message, details=details)]
