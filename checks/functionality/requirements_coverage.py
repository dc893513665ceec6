"""CRM-FUNC-002: the CRM covers the required capabilities (weighted)."""

from crmsec.plugin import METRICS_COMPUTED, Dimension, Evidence, Finding, Limits, Severity, check, metric_threshold

METRIC = "requirements_coverage"


@check(
    id="CRM-FUNC-002",
    title="The CRM covers the required capabilities (weighted)",
    dimension=Dimension.FUNCTIONALITY,
    severity=Severity.MEDIUM,
    requires=("inputs.requirements", METRICS_COMPUTED),
    params={"warn_below": 90, "fail_below": 75},
    rationale=(
        "Capabilities that were paid for but are missing push work into side systems; the weighted coverage "
        "shows how much of what the business asked for it actually got."
    ),
    remediation=(
        "Plan the missing and partial requirements listed in metrics.computed into the roadmap (must-haves "
        "first) until weighted coverage reaches warn_below percent."
    ),
    references=("https://www.iso.org/standard/27001",),
    frameworks={
        "iso27001_2022": ("A.8.26",),
        "nist_csf_2": ("ID.IM-01",),
    },
)
def requirements_coverage(evidence: Evidence, *, warn_below: float, fail_below: float) -> list[Finding]:
    """FAIL below fail_below, WARN below warn_below, else PASS.

    The value is metric `requirements_coverage` (docs/metrics.md), read from `metrics.computed`.
    """
    return metric_threshold(
        evidence,
        METRIC,
        Limits.below(warn_below, fail_below),
        label="Requirements coverage",
        unit="%",
        undefined="No requirement could be decided.",
    )
