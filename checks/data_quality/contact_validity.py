"""CRM-DQ-003: email addresses and phone numbers are valid."""

from crmsec.plugin import Dimension, Evidence, EvidenceError, Finding, JsonValue, Severity, Status, check

METRICS = "metrics.computed"
CHANNELS = {"email": "invalid_email_rate", "phone": "invalid_phone_rate"}


@check(
    id="CRM-DQ-003",
    title="Email addresses and phone numbers are valid",
    dimension=Dimension.DATA_QUALITY,
    severity=Severity.MEDIUM,
    requires=("data.quality", METRICS),
    params={"warn_above": 2, "fail_above": 10},
    rationale=(
        "An invalid email or phone number is a customer nobody can reach and personal data that is inaccurate, "
        "which the accuracy principle of data-protection law forbids keeping uncorrected."
    ),
    remediation=(
        "Add format validation (or verification services) on entry and import, correct or clear the invalid "
        "values, and keep each invalid rate under warn_above percent (fail_above is the ceiling)."
    ),
    references=("https://gdpr-info.eu/art-5-gdpr/",),
    frameworks={"soc2": ("PI1.2",), "gdpr": ("Art. 5(1)(d)",), "pipl": ("Art. 8",)},
)
def contact_validity(evidence: Evidence, *, warn_above: float, fail_above: float) -> list[Finding]:
    """One finding per channel (email, phone) that was sampled: FAIL above fail_above %, WARN above warn_above %."""
    metrics = evidence.mapping(METRICS)
    findings = []
    for channel, metric_id in CHANNELS.items():
        metric = metrics.get(metric_id)
        if not isinstance(metric, dict):
            raise EvidenceError(f"{METRICS} lacks {metric_id}")
        value = metric.get("value")
        if value is None:
            continue
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise EvidenceError(f"{METRICS}: {metric_id} is not a number")
        status = Status.FAIL if value > fail_above else Status.WARN if value > warn_above else Status.PASS
        limits = f"warn above {warn_above:g}, fail above {fail_above:g}"
        message = f"{value:g}% of sampled {channel} values are invalid ({limits})."
        details: dict[str, JsonValue] = {"actual": value, "warn_above": warn_above, "fail_above": fail_above}
        findings.append(Finding(status, resource=channel, message=message, details=details))
    if not findings:
        message = "No sampled object has an email or phone field."
        return [Finding(Status.NOT_APPLICABLE, resource="organization", message=message)]
    return findings
