"""CRM-DQ-002: few CRM records are duplicates."""

from crmsec.plugin import Dimension, Evidence, EvidenceError, Finding, JsonValue, Severity, Status, check

METRICS = "metrics.computed"
METRIC = "duplicate_rate"


@check(
    id="CRM-DQ-002",
    title="Few CRM records are duplicates",
    dimension=Dimension.DATA_QUALITY,
    severity=Severity.MEDIUM,
    requires=("data.quality", METRICS),
    params={"warn_above": 2, "fail_above": 5},
    rationale=(
        "Duplicates split a customer's history across records, double-count pipeline and send the same person"
        " the same message twice; they also make erasure requests incomplete."
    ),
    remediation=(
        "Turn on matching and duplicate rules for leads, contacts and accounts, merge the existing duplicates"
        " (worst objects first) and keep the duplicate rate under warn_below percent (fail_above is the "
        "ceiling)."
    ),
    references=(
        "https://help.salesforce.com/s/articleView?id=sf.managing_duplicates_overview.htm&type=5",
        "https://gdpr-info.eu/art-5-gdpr/",
    ),
    frameworks={
        "soc2": ("PI1.5",),
        "gdpr": ("Art. 5(1)(d)",),
        "pipl": ("Art. 8",),
    },
)
def duplicate_records(evidence: Evidence, *, warn_above: float, fail_above: float) -> list[Finding]:
    """FAIL above fail_above, WARN above warn_above, else PASS.

    The value is metric `duplicate_rate` (docs/metrics.md), read from `metrics.computed`.
    """
    metric = evidence.mapping(METRICS).get(METRIC)
    if not isinstance(metric, dict):
        raise EvidenceError(f"{METRICS} lacks {METRIC}")
    value = metric.get("value")
    if value is None:
        message = "No sampled records, so the duplicate rate is undefined."
        return [Finding(Status.NOT_APPLICABLE, resource="organization", message=message)]
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise EvidenceError(f"{METRICS}: {METRIC} is not a number")
    status = Status.FAIL if value > fail_above else Status.WARN if value > warn_above else Status.PASS
    limits = f"warn above {warn_above:g}, fail above {fail_above:g}"
    message = f"Duplicate rate is {value:g}% ({limits})."
    details: dict[str, JsonValue] = {"actual": value, "warn_above": warn_above, "fail_above": fail_above}
    details["source"] = metric.get("source")
    extra = metric.get("details")
    if isinstance(extra, dict) and isinstance(extra.get("by_object"), dict):
        details["by_object"] = dict(sorted(extra["by_object"].items())[:20])
    return [Finding(status, resource="organization", message=message, details=details)]
