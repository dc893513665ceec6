"""CRM-DQ-003: email addresses and phone numbers are valid."""

from crmsec.plugin import (
    METRICS_COMPUTED,
    Dimension,
    Evidence,
    Finding,
    JsonValue,
    Limits,
    Severity,
    Status,
    check,
    metric_value,
)

CHANNELS = {"email": "invalid_email_rate", "phone": "invalid_phone_rate"}


@check(
    id="CRM-DQ-003",
    title="Email addresses and phone numbers are valid",
    dimension=Dimension.DATA_QUALITY,
    severity=Severity.MEDIUM,
    requires=("data.quality", METRICS_COMPUTED),
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
    limits = Limits.above(warn_above, fail_above)
    findings = []
    for channel, metric in CHANNELS.items():
        value, _ = metric_value(evidence, metric)
        if value is None:
            continue
        message = f"{value:g}% of sampled {channel} values are invalid ({limits.text()})."
        details: dict[str, JsonValue] = {"metric": metric, "actual": value, **limits.details()}
        findings.append(Finding(limits.status(value), resource=channel, message=message, details=details))
    if not findings:
        message = "No sampled object has an email or phone field."
        return [Finding(Status.NOT_APPLICABLE, resource="organization", message=message)]
    return findings
