"""CRM-USE-003: active users log in several times a week."""

from crmsec.plugin import METRICS_COMPUTED, Dimension, Evidence, Finding, Limits, Severity, check, metric_threshold

METRIC = "logins_per_user_week"


@check(
    id="CRM-USE-003",
    title="Active users log in several times a week",
    dimension=Dimension.USABILITY,
    severity=Severity.LOW,
    requires=("usage.activity", METRICS_COMPUTED),
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
    return metric_threshold(
        evidence,
        METRIC,
        Limits.below(warn_below, fail_below),
        label="Logins per active user per week",
        unit=" logins per week",
        undefined="No active users or no login count.",
    )
