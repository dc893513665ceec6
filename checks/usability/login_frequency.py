"""CRM-USE-003: active users log in several times a week."""

from crmsec.plugin import Dimension, Evidence, EvidenceError, Finding, JsonValue, Severity, Status, check

METRICS = "metrics.computed"
METRIC = "logins_per_user_week"


@check(
    id="CRM-USE-003",
    title="Active users log in several times a week",
    dimension=Dimension.USABILITY,
    severity=Severity.LOW,
    requires=("usage.activity", METRICS),
    params={"warn_below": 3, "fail_below": 1},
    rationale=(
        "A CRM that people open less than every other day is a reporting chore rather than a working tool, "
        "and its records lag behind reality."
    ),
    remediation=(
        "Move daily work (call logging, case updates, pipeline reviews) into the CRM and remove parallel "
        "spreadsheets, until active users log in at least warn_below times a week."
    ),
    references=("https://www.usability.gov/how-to-and-tools/methods/system-usability-scale.html",),
    frameworks={
        "nist_csf_2": ("ID.IM-01",),
    },
)
def login_frequency(evidence: Evidence, *, warn_below: float, fail_below: float) -> list[Finding]:
    """FAIL below fail_below, WARN below warn_below, else PASS.

    The value is metric `logins_per_user_week` (docs/metrics.md), read from `metrics.computed`.
    """
    metric = evidence.mapping(METRICS).get(METRIC)
    if not isinstance(metric, dict):
        raise EvidenceError(f"{METRICS} lacks {METRIC}")
    value = metric.get("value")
    if value is None:
        message = "No active users or no login count."
        return [Finding(Status.NOT_APPLICABLE, resource="organization", message=message)]
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise EvidenceError(f"{METRICS}: {METRIC} is not a number")
    status = Status.FAIL if value < fail_below else Status.WARN if value < warn_below else Status.PASS
    limits = f"warn below {warn_below:g}, fail below {fail_below:g}"
    message = f"Logins per active user per week is {value:g} logins per week ({limits})."
    details: dict[str, JsonValue] = {"actual": value, "warn_below": warn_below, "fail_below": fail_below}
    details["source"] = metric.get("source")
    extra = metric.get("details")
    if isinstance(extra, dict) and isinstance(extra.get("by_object"), dict):
        details["by_object"] = dict(sorted(extra["by_object"].items())[:20])
    return [Finding(status, resource="organization", message=message, details=details)]
