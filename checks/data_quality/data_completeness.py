"""CRM-DQ-001: key fields of CRM records are filled in."""

from crmsec.plugin import Dimension, Evidence, EvidenceError, Finding, JsonValue, Severity, Status, check

METRICS = "metrics.computed"
METRIC = "data_completeness"


@check(
    id="CRM-DQ-001",
    title="Key fields of CRM records are filled in",
    dimension=Dimension.DATA_QUALITY,
    severity=Severity.MEDIUM,
    requires=("data.quality", METRICS),
    params={"warn_below": 90, "fail_below": 70},
    rationale=(
        "Records without an email, phone or owner cannot be worked or reconciled; gaps in key fields silently"
        " shrink every report and campaign built on them."
    ),
    remediation=(
        "Make the key fields required on the layouts and in integrations, backfill the gaps the per-object "
        "figures show, and keep completeness at or above warn_below percent (fail_below is the floor)."
    ),
    references=("https://gdpr-info.eu/art-5-gdpr/",),
    frameworks={
        "soc2": ("PI1.2", "PI1.5"),
        "gdpr": ("Art. 5(1)(d)",),
        "pipl": ("Art. 8",),
    },
)
def data_completeness(evidence: Evidence, *, warn_below: float, fail_below: float) -> list[Finding]:
    """FAIL below fail_below, WARN below warn_below, else PASS.

    The value is metric `data_completeness` (docs/metrics.md), read from `metrics.computed`.
    """
    metric = evidence.mapping(METRICS).get(METRIC)
    if not isinstance(metric, dict):
        raise EvidenceError(f"{METRICS} lacks {METRIC}")
    value = metric.get("value")
    if value is None:
        message = "No sampled records with key fields, so completeness is undefined."
        return [Finding(Status.NOT_APPLICABLE, resource="organization", message=message)]
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise EvidenceError(f"{METRICS}: {METRIC} is not a number")
    status = Status.FAIL if value < fail_below else Status.WARN if value < warn_below else Status.PASS
    limits = f"warn below {warn_below:g}, fail below {fail_below:g}"
    message = f"Key-field completeness is {value:g}% ({limits})."
    details: dict[str, JsonValue] = {"actual": value, "warn_below": warn_below, "fail_below": fail_below}
    details["source"] = metric.get("source")
    extra = metric.get("details")
    if isinstance(extra, dict) and isinstance(extra.get("by_object"), dict):
        details["by_object"] = dict(sorted(extra["by_object"].items())[:20])
    return [Finding(status, resource="organization", message=message, details=details)]
