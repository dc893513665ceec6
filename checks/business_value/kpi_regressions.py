"""CRM-BIZ-004: no KPI got worse after go-live."""

from crmsec.plugin import Dimension, Evidence, EvidenceError, Finding, Severity, Status, check

METRICS = "metrics.computed"
PREFIX = "kpi."


@check(
    id="CRM-BIZ-004",
    title="No KPI got worse after go-live",
    dimension=Dimension.BUSINESS_VALUE,
    severity=Severity.MEDIUM,
    requires=("inputs.kpis", METRICS),
    params={"fail_drop_percent": 10},
    rationale=(
        "A KPI that moved the wrong way after go-live (slower responses, lower conversion) points to a process "
        "the CRM made harder; it costs money every period until someone fixes it."
    ),
    remediation=(
        "Investigate each worsened KPI with its owners (workflow steps added, data no longer at hand), fix the "
        "cause and re-measure; a drop of more than fail_drop_percent percent fails."
    ),
    references=("https://www.nist.gov/cyberframework",),
    frameworks={"nist_csf_2": ("ID.IM-01",)},
)
def kpi_regressions(evidence: Evidence, *, fail_drop_percent: float) -> list[Finding]:
    """One finding per KPI: FAIL when worse by more than fail_drop_percent %, WARN when worse, else PASS."""
    findings = []
    for metric_id, metric in sorted(evidence.mapping(METRICS).items()):
        if not (metric_id.startswith(PREFIX) and metric_id.endswith(".change")):
            continue
        name = metric_id.removeprefix(PREFIX).removesuffix(".change")
        change = metric.get("value") if isinstance(metric, dict) else None
        if change is None:
            message = f"{name}: the before value is 0, so the change cannot be computed; compare by hand."
            findings.append(Finding(Status.MANUAL, resource=name, message=message))
            continue
        if not isinstance(change, int | float) or isinstance(change, bool):
            raise EvidenceError(f"{METRICS}: {metric_id} is not a number")
        status = Status.FAIL if change < -fail_drop_percent else Status.WARN if change < 0 else Status.PASS
        message = f"{name}: {change:+g}% since go-live (positive = better; fail below -{fail_drop_percent:g}%)."
        findings.append(Finding(status, resource=name, message=message,
                                details={"metric": metric_id, "actual": change,
                                         "limit": -fail_drop_percent}))  # fmt: skip
    return findings or [Finding(Status.NOT_APPLICABLE, resource="organization", message="kpis.yaml lists no KPI.")]
