"""CRM-FUNC-001: every must-have requirement is met."""

from crmsec.plugin import METRICS_COMPUTED, Dimension, Evidence, Finding, Severity, Status, check, requirements_met

PRIORITY = "must"


@check(
    id="CRM-FUNC-001",
    title="Every must-have requirement is met",
    dimension=Dimension.FUNCTIONALITY,
    severity=Severity.HIGH,
    requires=("inputs.requirements", METRICS_COMPUTED),
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
    return requirements_met(evidence, PRIORITY, unmet=Status.FAIL)
