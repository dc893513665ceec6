"""CRM-BIZ-003: KPIs reach their targets after go-live."""

from crmsec.plugin import Dimension, Evidence, EvidenceError, Finding, JsonValue, Severity, Status, check

METRICS = "metrics.computed"
PREFIX = "kpi."


@check(
    id="CRM-BIZ-003",
    title="KPIs reach their targets after go-live",
    dimension=Dimension.BUSINESS_VALUE,
    severity=Severity.MEDIUM,
    requires=("inputs.kpis", METRICS),
    rationale=(
        "The targets are what the CRM was bought to achieve; a missed target is a benefit in the business case "
        "that has not arrived."
    ),
    remediation=(
        "For each missed KPI, name an owner and the CRM change (process, automation, adoption) expected to move "
        "it, and re-measure in the next period; fix the target in kpis.yaml if it was unrealistic."
    ),
    references=("https://www.nist.gov/cyberframework",),
    frameworks={"nist_csf_2": ("ID.IM-01",)},
)
def kpi_targets(evidence: Evidence) -> list[Finding]:
    """One finding per KPI with a target: PASS when the after value reaches it, WARN when it does not."""
    findings = []
    for name, details in kpi_details(evidence):
        if details.get("target") is None:
            continue
        met = details.get("target_met")
        if not isinstance(met, bool):
            raise EvidenceError(f"{METRICS}: kpi.{name}.change lacks target_met")
        unit = f" {details.get('unit')}" if details.get("unit") else ""
        message = (f"{name}: {details.get('after')}{unit} after go-live, target {details.get('target')}{unit} "
                   f"({'met' if met else 'missed'}; {details.get('direction')} is better).")  # fmt: skip
        findings.append(Finding(Status.PASS if met else Status.WARN, resource=name, message=message,
                                details={"after": details.get("after"), "target": details.get("target")}))  # fmt: skip
    return findings or [Finding(Status.NOT_APPLICABLE, resource="organization", message="No KPI has a target.")]


def kpi_details(evidence: Evidence) -> list[tuple[str, dict[str, JsonValue]]]:
    """(KPI name, details of metric kpi.<name>.change) for every KPI, sorted by name."""
    found = []
    for metric_id, metric in sorted(evidence.mapping(METRICS).items()):
        if metric_id.startswith(PREFIX) and metric_id.endswith(".change"):
            details = metric.get("details") if isinstance(metric, dict) else None
            if not isinstance(details, dict):
                raise EvidenceError(f"{METRICS}: {metric_id} lacks details")
            found.append((metric_id.removeprefix(PREFIX).removesuffix(".change"), details))
    return found
