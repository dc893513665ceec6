"""CRM-CFG-101: the Salesforce Security Health Check score reaches the agreed minimum."""

from crmsec.plugin import Dimension, Evidence, EvidenceError, Finding, JsonValue, Severity, Status, check

KEY = "platform.health_check"


@check(
    id="CRM-CFG-101",
    title="Salesforce Health Check score is at least the minimum",
    dimension=Dimension.PLATFORM_CONFIGURATION,
    severity=Severity.MEDIUM,
    requires=(KEY,),
    params={"min_health_check_score": 80},
    platforms=("salesforce",),
    rationale=(
        "The Health Check score summarises how far the org's security settings drift from the baseline; a low "
        "score means several high-risk settings at once, and tracking it shows drift between audits."
    ),
    remediation=(
        "Fix the high-risk settings listed by CRM-CFG-100 first (they weigh most in the score) until the score "
        "reaches min_health_check_score; agree the minimum with security and raise it over time."
    ),
    references=(
        "https://help.salesforce.com/s/articleView?id=sf.security_health_check_score.htm&type=5",
        "https://developer.salesforce.com/docs/atlas.en-us.api_tooling.meta/api_tooling/tooling_api_objects_securityhealthcheck.htm",
    ),
    frameworks={
        "iso27001_2022": ("A.8.9",),
        "soc2": ("CC7.1",),
        "nist_csf_2": ("PR.PS-01", "ID.RA-01"),
    },
)
def health_check_score(evidence: Evidence, *, min_health_check_score: int) -> list[Finding]:
    """FAIL when the score is under min_health_check_score, PASS otherwise."""
    report = evidence.mapping(KEY)
    score = report.get("score")
    if isinstance(score, bool) or not isinstance(score, int | float):
        raise EvidenceError(f"{KEY}: score is missing or not a number")
    baseline = report.get("baseline")
    details: dict[str, JsonValue] = {"score": score, "limit": min_health_check_score, "baseline": baseline}
    status = Status.PASS if score >= min_health_check_score else Status.FAIL
    against = f" against baseline {baseline}" if isinstance(baseline, str) and baseline else ""
    message = f"Health Check score is {score:g}{against} (minimum {min_health_check_score})."
    return [Finding(status, resource="organization", message=message, details=details)]
