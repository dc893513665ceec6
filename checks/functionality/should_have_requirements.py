"""CRM-FUNC-003: should-have requirements are met."""

from crmsec.plugin import METRICS_COMPUTED, Dimension, Evidence, Finding, Severity, Status, check, requirements_met

PRIORITY = "should"


@check(
    id="CRM-FUNC-003",
    title="Should-have requirements are met",
    dimension=Dimension.FUNCTIONALITY,
    severity=Severity.LOW,
    requires=("inputs.requirements", METRICS_COMPUTED),
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
    return requirements_met(evidence, PRIORITY, unmet=Status.WARN)
