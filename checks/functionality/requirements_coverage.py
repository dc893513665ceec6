"""CRM-FUNC-002: the CRM covers the required capabilities (weighted)."""

from crmsec.plugin import Dimension, Evidence, EvidenceError, Finding, JsonValue, Severity, Status, check

METRICS = "metrics.computed"
METRIC = "requirements_coverage"


@check(
    id="CRM-FUNC-002",
    title="The CRM covers the required capabilities (weighted)",
    dimension=Dimension.FUNCTIONALITY,
    severity=Severity.MEDIUM,
    requires=("inputs.requirements", METRICS),
    params={"warn_below": 90, "fail_below": 75},
    rationale=(
        "Capabilities that were paid for but are missing push work into side systems; the weighted coverage "
        "shows how much of what the business asked for it actually got."
    ),
    remediation=(
        "Plan the missing and partial requirements listed in metrics.computed into the roadmap (must-haves "
        "first) until weighted coverage reaches warn_below percent."
    ),
    references=("https://www.iso.org/standard/27001",),
    frameworks={
        "iso27001_2022": ("A.8.26",),
        "nist_csf_2": ("ID.IM-01",),
    },
)
def requirements_coverage(evidence: Evidence, *, warn_below: float, fail_below: float) -> list[Finding]:
    """FAIL below fail_below, WARN below warn_below, else PASS.

    The value is metric `requirements_coverage` (docs/metrics.md), read from `metrics.computed`.
    """
    metric = evidence.mapping(METRICS).get(METRIC)
    if not isinstance(metric, dict):
        raise EvidenceError(f"{METRICS} lacks {METRIC}")
    value = metric.get("value")
    if value is None:
        message = "No requirement could be decided."
        return [Finding(Status.NOT_APPLICABLE, resource="organization", message=message)]
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise EvidenceError(f"{METRICS}: {METRIC} is not a number")
    status = Status.FAIL if value < fail_below else Status.WARN if value < warn_below else Status.PASS
    limits = f"warn below {warn_below:g}, fail below {fail_below:g}"
    message = f"Requirements coverage is {value:g}% ({limits})."
    details: dict[str, JsonValue] = {"actual": value, "warn_below": warn_below, "fail_below": fail_below}
    details["source"] = metric.get("source")
    extra = metric.get("details")
    if isinstance(extra, dict) and isinstance(extra.get("by_object"), dict):
        details["by_object"] = dict(sorted(extra["by_object"].items())[:20])
    return [Finding(status, resource="organization", message=message, details=details)]
