"""CRM-SAT-002: users are satisfied with the CRM (CSAT)."""

from crmsec.plugin import Dimension, Evidence, EvidenceError, Finding, JsonValue, Severity, Status, check

METRICS = "metrics.computed"
METRIC = "csat"


@check(
    id="CRM-SAT-002",
    title="Users are satisfied with the CRM (CSAT)",
    dimension=Dimension.SATISFACTION,
    severity=Severity.MEDIUM,
    requires=("inputs.survey", METRICS),
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
    metric = evidence.mapping(METRICS).get(METRIC)
    if not isinstance(metric, dict):
        raise EvidenceError(f"{METRICS} lacks {METRIC}")
    value = metric.get("value")
    if value is None:
        message = "No respondent answered the CSAT question."
        return [Finding(Status.NOT_APPLICABLE, resource="organization", message=message)]
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise EvidenceError(f"{METRICS}: {METRIC} is not a number")
    status = Status.FAIL if value < fail_below else Status.WARN if value < warn_below else Status.PASS
    limits = f"warn below {warn_below:g}, fail below {fail_below:g}"
    message = f"CSAT (share of 4-5 answers) is {value:g}% ({limits})."
    details: dict[str, JsonValue] = {"actual": value, "warn_below": warn_below, "fail_below": fail_below}
    details["source"] = metric.get("source")
    extra = metric.get("details")
    if isinstance(extra, dict) and isinstance(extra.get("by_object"), dict):
        details["by_object"] = dict(sorted(extra["by_object"].items())[:20])
    return [Finding(status, resource="organization", message=message, details=details)]
