"""CRM-USE-002: licensed users actually use the CRM."""

from crmsec.plugin import METRICS_COMPUTED, Dimension, Evidence, Finding, Limits, Severity, check, metric_threshold

METRIC = "active_user_rate"


@check(
    id="CRM-USE-002",
    title="Licensed users actually use the CRM",
    dimension=Dimension.USABILITY,
    severity=Severity.MEDIUM,
    requires=("usage.activity", METRICS_COMPUTED),
    params={"warn_below": 70, "fail_below": 50},
    rationale=(
        "Licences nobody uses cost money and are dormant accounts an attacker can take over; low activity "
        "also means the CRM does not hold the full customer picture."
    ),
    remediation=(
        "Ask the inactive users' managers why they do not use the CRM, deactivate accounts that are not "
        "needed, and keep the active share at or above warn_below percent."
    ),
    references=("https://www.iso.org/standard/27001",),
    frameworks={
        "iso27001_2022": ("A.5.18",),
        "soc2": ("CC6.2",),
        "nist_csf_2": ("PR.AA-01", "ID.IM-01"),
    },
)
def active_users(evidence: Evidence, *, warn_below: float, fail_below: float) -> list[Finding]:
    """FAIL below fail_below, WARN below warn_below, else PASS.

    The value is metric `active_user_rate` (docs/metrics.md), read from `metrics.computed`.
    """
    return metric_threshold(
        evidence,
        METRIC,
        Limits.below(warn_below, fail_below),
        label="Active user rate (30 days)",
        unit="%",
        undefined="No licensed users were counted.",
    )
