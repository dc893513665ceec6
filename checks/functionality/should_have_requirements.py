"""CRM-FUNC-003: should-have requirements are met."""

from crmsec.plugin import Dimension, Evidence, Finding, Severity, Status, check, requirement_verdicts

METRICS = "metrics.computed"
PRIORITY = "should"
STATUS_OF = {"met": Status.PASS, "partial": Status.WARN, "missing": Status.WARN, "unknown": Status.MANUAL}


@check(
    id="CRM-FUNC-003",
    title="Should-have requirements are met",
    dimension=Dimension.FUNCTIONALITY,
    severity=Severity.LOW,
    requires=("inputs.requirements", METRICS),
    rationale=(
        "Should-have capabilities are where users feel the gap between the CRM and their work; each missing one "
        "adds a workaround that someone has to maintain."
    ),
    remediation=(
        "Schedule each missing or partial should-have requirement on the roadmap or record why it is dropped; "
        "requirements the evidence could not decide need a manual verdict in requirements.yaml."
    ),
    references=("https://www.iso.org/standard/27001",),
    frameworks={"iso27001_2022": ("A.8.26",), "nist_csf_2": ("ID.IM-01",)},
)
def should_have_requirements(evidence: Evidence) -> list[Finding]:
    """One finding per should-have requirement: PASS met, WARN partial or missing, MANUAL undecided."""
    findings = [
        Finding(STATUS_OF[str(item["status"])], resource=str(item["id"]),
                message=f"{item['id']} {item['title']}: {item['status']} ({item['how']}).",
                details={"status": item["status"], "how": item["how"]})
        for item in requirement_verdicts(evidence) if item["priority"] == PRIORITY
    ]  # fmt: skip
    message = "requirements.yaml lists no should-have requirement."
    return findings or [Finding(Status.NOT_APPLICABLE, resource="organization", message=message)]
