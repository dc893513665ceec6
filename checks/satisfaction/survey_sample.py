"""CRM-SAT-003: the survey sample is large and clean enough to trust."""

from crmsec.plugin import Dimension, Evidence, EvidenceError, Finding, Severity, Status, check

METRICS = "metrics.computed"


@check(
    id="CRM-SAT-003",
    title="The survey sample is large and clean enough to trust",
    dimension=Dimension.SATISFACTION,
    severity=Severity.LOW,
    requires=("inputs.survey", METRICS),
    params={"min_respondents": 30, "max_rejected_percent": 5},
    rationale=(
        "Satisfaction and usability scores from a handful of answers, or from a file where many rows had to be "
        "skipped, can move by tens of points by chance; decisions need a sample that can bear them."
    ),
    remediation=(
        "Survey more users (at least min_respondents usable rows), fix the rows listed under inputs.survey "
        "rejected in evidence.json, and keep skipped rows under max_rejected_percent of the file."
    ),
    references=("https://www.usability.gov/how-to-and-tools/methods/system-usability-scale.html",),
    frameworks={"nist_csf_2": ("ID.IM-01",)},
)
def survey_sample(evidence: Evidence, *, min_respondents: int, max_rejected_percent: float) -> list[Finding]:
    """Two findings: `respondents` WARN under min_respondents, `rejected_rows` WARN above max_rejected_percent."""
    metrics = evidence.mapping(METRICS)
    respondents, rejected = _value(metrics, "survey_respondents"), _value(metrics, "survey_rejected_rows")
    total = respondents + rejected
    share = round(100.0 * rejected / total, 2) if total else 0.0
    size = Status.PASS if respondents >= min_respondents else Status.WARN
    clean = Status.PASS if share <= max_rejected_percent else Status.WARN
    size_message = f"{respondents:g} usable survey rows (minimum {min_respondents})."
    clean_message = f"{rejected:g} of {total:g} survey rows were skipped ({share:g}%, limit {max_rejected_percent:g}%)."
    return [
        Finding(size, resource="respondents", message=size_message,
                details={"metric": "survey_respondents", "actual": respondents, "limit": min_respondents}),
        Finding(clean, resource="rejected_rows", message=clean_message,
                details={"actual": share, "rejected": rejected, "limit": max_rejected_percent}),
    ]  # fmt: skip


def _value(metrics: dict[str, object], metric_id: str) -> float:
    metric = metrics.get(metric_id)
    value = metric.get("value") if isinstance(metric, dict) else None
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise EvidenceError(f"{METRICS} lacks a number for {metric_id}")
    return float(value)
