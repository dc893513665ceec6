"""CRM-SAT-001: users would recommend the CRM (NPS)."""

from crmsec.plugin import Dimension, Evidence, EvidenceError, Finding, JsonValue, Severity, Status, check

METRICS = "metrics.computed"
METRIC = "nps"


@check(
    id="CRM-SAT-001",
    title="Users would recommend the CRM (NPS)",
    dimension=Dimension.SATISFACTION,
    severity=Severity.MEDIUM,
    requires=("inputs.survey", METRICS),
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
    metric = evidence.mapping(METRICS).get(METRIC)
    if not isinstance(metric, dict):
        raise EvidenceError(f"{METRICS} lacks {METRIC}")
    value = metric.get("value")
    if value is None:
        message = "No respondent answered the NPS question."
        return [Finding(Status.NOT_APPLICABLE, resource="organization", message=message)]
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise EvidenceError(f"{METRICS}: {METRIC} is not a number")
    status = Status.FAIL if value < fail_below else Status.WARN if value < warn_below else Status.PASS
    limits = f"warn below {warn_below:g}, fail below {fail_below:g}"
    message = f"Net Promoter Score is {value:g} ({limits})."
    details: dict[str, JsonValue] = {"actual": value, "warn_below": warn_below, "fail_below": fail_below}
    details["source"] = metric.get("source")
    extra = metric.get("details")
    if isinstance(extra, dict) and isinstance(extra.get("by_object"), dict):
        details["by_object"] = dict(sorted(extra["by_object"].items())[:20])
    return [Finding(status, resource="organization", message=message, details=details)]
