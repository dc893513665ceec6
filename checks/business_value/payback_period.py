"""CRM-BIZ-002: the investment pays back within the evaluation horizon."""

from crmsec.plugin import Dimension, Evidence, EvidenceError, Finding, JsonValue, Severity, Status, check

METRICS = "metrics.computed"
METRIC = "payback_months"


@check(
    id="CRM-BIZ-002",
    title="The investment pays back within the evaluation horizon",
    dimension=Dimension.BUSINESS_VALUE,
    severity=Severity.MEDIUM,
    requires=("inputs.costs", METRICS),
    params={"max_payback_months": None},
    rationale=(
        "A payback period longer than the horizon the business evaluates over means the CRM is replaced or "
        "renegotiated before it has earned back what it cost."
    ),
    remediation=(
        "Bring benefits forward (adoption, automation of the costliest manual steps) and cut recurring costs until "
        "the payback falls within the horizon; max_payback_months sets a stricter limit than the horizon."
    ),
    references=("https://www.investopedia.com/terms/p/paybackperiod.asp",),
    frameworks={"nist_csf_2": ("ID.IM-01",)},
)
def payback_period(evidence: Evidence, *, max_payback_months: float | None) -> list[Finding]:
    """FAIL when it never pays back, WARN beyond the limit (default: the horizon in months), else PASS."""
    metric = evidence.mapping(METRICS).get(METRIC)
    basis = metric.get("details") if isinstance(metric, dict) else None
    horizon = basis.get("horizon_years") if isinstance(basis, dict) else None
    if not isinstance(metric, dict) or not isinstance(horizon, int):
        raise EvidenceError(f"{METRICS} lacks {METRIC} with its horizon_years")
    limit = float(max_payback_months) if max_payback_months is not None else horizon * 12.0
    months = metric.get("value")
    details: dict[str, JsonValue] = {"metric": METRIC, "actual": months, "limit": limit, "horizon_years": horizon}
    if months is None:
        message = "The investment never pays back: yearly net benefit is not positive."
        return [Finding(Status.FAIL, resource="organization", message=message, details=details)]
    if not isinstance(months, int | float) or isinstance(months, bool):
        raise EvidenceError(f"{METRICS}: {METRIC} is not a number")
    status = Status.WARN if months > limit else Status.PASS
    message = f"Payback after {months:g} months (limit {limit:g}, horizon {horizon} years)."
    return [Finding(status, resource="organization", message=message, details=details)]
