"""CRM-FUNC-001: every must-have requirement is met."""

from crmsec.plugin import Dimension, Evidence, Finding, Severity, Status, check, requirement_verdicts

METRICS = "metrics.computed"
PRIORITY = "must"
STATUS_OF = {"met": Status.PASS, "partial": Status.FAIL, "missing": Status.FAIL, "unknown": Status.MANUAL}


@check(
    id="CRM-FUNC-001",
    title="Every must-have requirement is met",
    dimension=Dimension.FUNCTIONALITY,
    severity=Severity.HIGH,
    requires=("inputs.requirements", METRICS),
    rationale=(
        "A must-have capability that is missing or only partly there means a business process the CRM was bought "
        "for still runs elsewhere, with its data outside the CRM's controls."
    ),
    remediation=(
        "Deliver each missing or partial must-have requirement (configuration, licence or integration) or "
        "renegotiate it with the business; requirements the evidence could not decide need a manual verdict "
        "in requirements.yaml."
    ),
    references=("https://www.iso.org/standard/27001",),
    frameworks={"iso27001_2022": ("A.8.26",), "nist_csf_2": ("ID.IM-01",)},
)
def must_have_requirements(evidence: Evidence) -> list[Finding]:
    """One finding per must-have requirement: PASS met, FAIL partial or missing, MANUAL undecided."""
    findings = [
        Finding(STATUS_OF[str(item["status"])], resource=str(item["id"]),
                message=f"{item['id']} {item['title']}: {item['status']} ({item['how']}).",
                details={"status": item["status"], "how": item["how"]})
        for item in requirement_verdicts(evidence) if item["priority"] == PRIORITY
    ]  # fmt: skip
    message = "requirements.yaml lists no must-have requirement."
    return findings or [Finding(Status.NOT_APPLICABLE, resource="organization", message=message)]
