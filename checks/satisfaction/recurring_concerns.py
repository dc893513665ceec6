"""CRM-SAT-004: no concern dominates the survey comments."""

from crmsec.plugin import Dimension, Evidence, EvidenceError, Finding, Severity, Status, check

METRICS = "metrics.computed"
PREFIX = "survey_theme."


@check(
    id="CRM-SAT-004",
    title="No concern dominates the survey comments",
    dimension=Dimension.SATISFACTION,
    severity=Severity.LOW,
    requires=("inputs.survey", METRICS),
    params={"max_theme_percent": 25},
    rationale=(
        "When a quarter of all comments raise the same concern (complexity, security, speed, training), it is a "
        "pattern to act on rather than noise; worries about data security also signal a trust problem."
    ),
    remediation=(
        "Take each theme above max_theme_percent of comments to the owners (product, security, training), "
        "answer it with a concrete change and tell the users, then re-survey."
    ),
    references=("https://www.nist.gov/cyberframework", "https://www.iso.org/standard/27001"),
    frameworks={"nist_csf_2": ("ID.IM-01",), "iso27001_2022": ("A.6.3",)},
)
def recurring_concerns(evidence: Evidence, *, max_theme_percent: float) -> list[Finding]:
    """One finding per concern theme: WARN when its share of comments is above max_theme_percent."""
    metrics = evidence.mapping(METRICS)
    comments = metrics.get("survey_comments")
    if not isinstance(comments, dict) or not isinstance(comments.get("value"), int):
        raise EvidenceError(f"{METRICS} lacks survey_comments")
    if comments["value"] == 0:
        return [Finding(Status.NOT_APPLICABLE, resource="organization", message="The survey has no comments.")]
    findings = []
    for metric_id, metric in sorted(metrics.items()):
        if not metric_id.startswith(PREFIX):
            continue
        theme = metric_id.removeprefix(PREFIX)
        share = metric.get("value") if isinstance(metric, dict) else None
        if not isinstance(share, int | float) or isinstance(share, bool):
            raise EvidenceError(f"{METRICS}: {metric_id} is not a number")
        status = Status.WARN if share > max_theme_percent else Status.PASS
        message = f"{share:g}% of comments raise {theme.replace('_', ' ')} (limit {max_theme_percent:g}%)."
        findings.append(Finding(status, resource=theme, message=message,
                                details={"metric": metric_id, "actual": share,
                                         "limit": max_theme_percent}))  # fmt: skip
    return findings
