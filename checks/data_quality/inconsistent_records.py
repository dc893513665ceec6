"""CRM-DQ-005: cRM records use consistent values."""

from crmsec.plugin import Dimension, Evidence, EvidenceError, Finding, JsonValue, Severity, Status, check

METRICS = "metrics.computed"
METRIC = "inconsistent_record_rate"


@check(
    id="CRM-DQ-005",
    title="CRM records use consistent values",
    dimension=Dimension.DATA_QUALITY,
    severity=Severity.LOW,
    requires=("data.quality", METRICS),
    params={"warn_above": 5, "fail_above": 15},
    rationale=(
        "The same country or status written five ways breaks filters, territory rules and reports, and makes "
        "the data inaccurate for everyone downstream."
    ),
    remediation=(
        "Replace free-text fields such as country with picklists or validation rules, normalise the existing "
        "values, and keep the inconsistent share under warn_below percent."
    ),
    references=("https://gdpr-info.eu/art-5-gdpr/",),
    frameworks={
        "soc2": ("PI1.3", "PI1.5"),
        "gdpr": ("Art. 5(1)(d)",),
        "pipl": ("Art. 8",),
    },
)
def inconsistent_records(evidence: Evidence, *, warn_above: float, fail_above: float) -> list[Finding]:
    """FAIL above fail_above, WARN above warn_above, else PASS.

    The value is metric `inconsistent_record_rate` (docs/metrics.md), read from `metrics.computed`.
    """
    metric = evidence.mapping(METRICS).get(METRIC)
    if not isinstance(metric, dict):
        raise EvidenceError(f"{METRICS} lacks {METRIC}")
    value = metric.get("value")
    if value is None:
        message = "No sampled records to compare."
        return [Finding(Status.NOT_APPLICABLE, resource="organization", message=message)]
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise EvidenceError(f"{METRICS}: {METRIC} is not a number")
    status = Status.FAIL if value > fail_above else Status.WARN if value > warn_above else Status.PASS
    limits = f"warn above {warn_above:g}, fail above {fail_above:g}"
    message = f"Inconsistent record share is {value:g}% ({limits})."
    details: dict[str, JsonValue] = {"actual": value, "warn_above": warn_above, "fail_above": fail_above}
    details["source"] = metric.get("source")
    extra = metric.get("details")
    if isinstance(extra, dict) and isinstance(extra.get("by_object"), dict):
        details["by_object"] = dict(sorted(extra["by_object"].items())[:20])
    return [Finding(status, resource="organization", message=message, details=details)]
