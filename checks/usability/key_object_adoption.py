"""CRM-USE-004: the key CRM objects are in use."""

from crmsec.plugin import Dimension, Evidence, EvidenceError, Finding, Severity, Status, check

METRICS = "metrics.computed"
METRIC = "object_adoption"


@check(
    id="CRM-USE-004",
    title="Key CRM objects are in use",
    dimension=Dimension.USABILITY,
    severity=Severity.LOW,
    requires=("usage.activity", METRICS),
    params={"key_objects": ["Account", "Contact", "Opportunity", "Case"], "min_records_touched": 1},
    rationale=(
        "An object nobody created or changed records in for 90 days is a process that happens somewhere else, "
        "usually in spreadsheets outside any access control."
    ),
    remediation=(
        "For each key object without activity, find where that work is done today and move it into the CRM (or "
        "drop the object from key_objects if the business does not need it); min_records_touched sets the bar."
    ),
    references=("https://www.usability.gov/how-to-and-tools/methods/system-usability-scale.html",),
    frameworks={"nist_csf_2": ("ID.IM-01",)},
)
def key_object_adoption(evidence: Evidence, *, key_objects: list[str], min_records_touched: int) -> list[Finding]:
    """One finding per key object: FAIL under min_records_touched records touched in 90 days, WARN when unmeasured."""
    metric = evidence.mapping(METRICS).get(METRIC)
    details = metric.get("details") if isinstance(metric, dict) else None
    touched = details.get("records_touched_90d") if isinstance(details, dict) else None
    if not isinstance(touched, dict):
        raise EvidenceError(f"{METRICS} lacks {METRIC} records_touched_90d")
    findings = []
    for name in key_objects:
        count = touched.get(name)
        if count is None:
            message = f"{name}: no activity count was collected; confirm by hand that it is used."
            findings.append(Finding(Status.WARN, resource=name, message=message))
            continue
        status = Status.PASS if count >= min_records_touched else Status.FAIL
        message = f"{name}: {count} records touched in 90 days (minimum {min_records_touched})."
        findings.append(Finding(status, resource=name, message=message,
                                details={"actual": count, "limit": min_records_touched}))  # fmt: skip
    return findings or [Finding(Status.NOT_APPLICABLE, resource="organization", message="No key objects configured.")]
