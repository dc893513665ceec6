"""CRM-STAB-005: the CRM is available (outage time in the window)."""

from crmsec.plugin import Dimension, Evidence, EvidenceError, Finding, JsonValue, Severity, Status, check

METRICS = "metrics.computed"
METRIC = "availability"


@check(
    id="CRM-STAB-005",
    title="The CRM is available (outage time in the window)",
    dimension=Dimension.STABILITY,
    severity=Severity.HIGH,
    requires=("inputs.incidents", METRICS),
    params={"warn_below": 99.5, "fail_below": 99.0},
    rationale=(
        "Outage hours are hours without customer history, quotes or case handling; availability below the "
        "agreed level is a business-continuity gap."
    ),
    remediation=(
        "Agree an availability objective with the business, hold the vendor to its SLA, add redundancy for "
        "integrations that fail with the CRM, and keep availability at or above warn_below percent."
    ),
    references=(
        "https://sre.google/sre-book/service-level-objectives/",
        "https://www.iso.org/standard/27001",
    ),
    frameworks={
        "iso27001_2022": ("A.5.30", "A.8.14"),
        "soc2": ("A1.2",),
        "nist_csf_2": ("PR.IR-03",),
    },
)
def availability(evidence: Evidence, *, warn_below: float, fail_below: float) -> list[Finding]:
    """FAIL below fail_below, WARN below warn_below, else PASS.

    The value is metric `availability` (docs/metrics.md), read from `metrics.computed`.
    """
    metric = evidence.mapping(METRICS).get(METRIC)
    if not isinstance(metric, dict):
        raise EvidenceError(f"{METRICS} lacks {METRIC}")
    value = metric.get("value")
    if value is None:
        message = "The observed window is empty."
        return [Finding(Status.NOT_APPLICABLE, resource="organization", message=message)]
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise EvidenceError(f"{METRICS}: {METRIC} is not a number")
    status = Status.FAIL if value < fail_below else Status.WARN if value < warn_below else Status.PASS
    limits = f"warn below {warn_below:g}, fail below {fail_below:g}"
    message = f"Availability is {value:g}% ({limits})."
    details: dict[str, JsonValue] = {"actual": value, "warn_below": warn_below, "fail_below": fail_below}
    details["source"] = metric.get("source")
    extra = metric.get("details")
    if isinstance(extra, dict) and isinstance(extra.get("by_object"), dict):
        details["by_object"] = dict(sorted(extra["by_object"].items())[:20])
    return [Finding(status, resource="organization", message=message, details=details)]
