"""CRM-FUNC-004: every requirement could be decided."""

from crmsec.plugin import Dimension, Evidence, EvidenceError, Finding, JsonValue, Severity, Status, check

METRICS = "metrics.computed"


@check(
    id="CRM-FUNC-004",
    title="Every requirement could be decided",
    dimension=Dimension.FUNCTIONALITY,
    severity=Severity.LOW,
    requires=("inputs.requirements", METRICS),
    rationale=(
        "Coverage is computed over the requirements that could be decided; each undecided one is a blind spot "
        "that could hide a missing capability."
    ),
    remediation=(
        "For each undecided requirement, collect the evidence key its detection names or give a manual verdict "
        "(met, partial, missing) with a note in requirements.yaml."
    ),
    references=("https://www.iso.org/standard/27001",),
    frameworks={"iso27001_2022": ("A.8.26",), "nist_csf_2": ("ID.IM-01",)},
)
def undecided_requirements(evidence: Evidence) -> list[Finding]:
    """MANUAL for each requirement whose status is unknown; one PASS when every requirement was decided."""
    metric = evidence.mapping(METRICS).get("requirements_coverage")
    details = metric.get("details") if isinstance(metric, dict) else None
    listed = details.get("requirements") if isinstance(details, dict) else None
    if not isinstance(listed, list) or not all(isinstance(item, dict) and "status" in item for item in listed):
        raise EvidenceError(f"{METRICS} lacks the requirement verdicts of requirements_coverage")
    unknown: list[dict[str, JsonValue]] = [item for item in listed if item["status"] == "unknown"]
    if not unknown:
        message = f"All {len(listed)} requirements were decided."
        return [Finding(Status.PASS, resource="organization", message=message, details={"requirements": len(listed)})]
    return [
        Finding(Status.MANUAL, resource=str(item.get("id")),
                message=f"{item.get('id')} {item.get('title')}: undecided ({item.get('how')}).",
                details={"how": item.get("how")})
        for item in unknown
    ]  # fmt: skip
