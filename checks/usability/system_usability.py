"""CRM-USE-001: users rate the CRM usable (System Usability Scale)."""

from crmsec.plugin import Dimension, Evidence, EvidenceError, Finding, JsonValue, Severity, Status, check

METRICS = "metrics.computed"
METRIC = "sus"


@check(
    id="CRM-USE-001",
    title="Users rate the CRM usable (System Usability Scale)",
    dimension=Dimension.USABILITY,
    severity=Severity.MEDIUM,
    requires=("inputs.survey", METRICS),
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
    metric = evidence.mapping(METRICS).get(METRIC)
    if not isinstance(metric, dict):
        raise EvidenceError(f"{METRICS} lacks {METRIC}")
    value = metric.get("value")
    if value is None:
        message = "No respondent answered all ten SUS items."
        return [Finding(Status.NOT_APPLICABLE, resource="organization", message=message)]
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise EvidenceError(f"{METRICS}: {METRIC} is not a number")
    status = Status.FAIL if value < fail_below else Status.WARN if value < warn_below else Status.PASS
    limits = f"warn below {warn_below:g}, fail below {fail_below:g}"
    message = f"SUS score is {value:g} ({limits})."
    details: dict[str, JsonValue] = {"actual": value, "warn_below": warn_below, "fail_below": fail_below}
    details["source"] = metric.get("source")
    extra = metric.get("details")
    if isinstance(extra, dict) and isinstance(extra.get("by_object"), dict):
        details["by_object"] = dict(sorted(extra["by_object"].items())[:20])
    return [Finding(status, resource="organization", message=message, details=details)]
