"""CRM-DQ-004: few CRM records are stale."""

from crmsec.plugin import Dimension, Evidence, EvidenceError, Finding, JsonValue, Severity, Status, check

METRICS = "metrics.computed"
METRIC = "stale_record_rate"


@check(
    id="CRM-DQ-004",
    title="Few CRM records are stale",
    dimension=Dimension.DATA_QUALITY,
    severity=Severity.LOW,
    requires=("data.quality", METRICS),
    params={"warn_above": 20, "fail_above": 40},
    rationale=(
        "Records nobody touched for years are likely wrong, and personal data kept without use breaks the "
        "storage-limitation principle."
    ),
    remediation=(
        "Review records untouched for longer than the connector's stale_months window: update, archive or "
        "delete them under the retention policy, until the stale share is under warn_below percent."
    ),
    references=("https://gdpr-info.eu/art-5-gdpr/",),
    frameworks={
        "gdpr": ("Art. 5(1)(d)", "Art. 5(1)(e)"),
        "pipl": ("Art. 8", "Art. 19"),
        "soc2": ("PI1.5",),
    },
)
def stale_records(evidence: Evidence, *, warn_above: float, fail_above: float) -> list[Finding]:
    """FAIL above fail_above, WARN above warn_above, else PASS.

    The value is metric `stale_record_rate` (docs/metrics.md), read from `metrics.computed`.
    """
    metric = evidence.mapping(METRICS).get(METRIC)
    if not isinstance(metric, dict):
        raise EvidenceError(f"{METRICS} lacks {METRIC}")
    value = metric.get("value")
    if value is None:
        message = "No sampled records with a modification time."
        return [Finding(Status.NOT_APPLICABLE, resource="organization", message=message)]
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise EvidenceError(f"{METRICS}: {METRIC} is not a number")
    status = Status.FAIL if value > fail_above else Status.WARN if value > warn_above else Status.PASS
    limits = f"warn above {warn_above:g}, fail above {fail_above:g}"
    message = f"Stale record share is {value:g}% ({limits})."
    details: dict[str, JsonValue] = {"actual": value, "warn_above": warn_above, "fail_above": fail_above}
    details["source"] = metric.get("source")
    extra = metric.get("details")
    if isinstance(extra, dict) and isinstance(extra.get("by_object"), dict):
        details["by_object"] = dict(sorted(extra["by_object"].items())[:20])
    return [Finding(status, resource="organization", message=message, details=details)]
