"""CRM-PII-006: integration users cannot read objects that hold high-risk personal data."""

from crmsec.plugin import (
    DATA_SAMPLES,
    SCHEMA_OBJECTS,
    Dimension,
    Evidence,
    Finding,
    JsonValue,
    Severity,
    Status,
    check,
    field_of,
    pii_fields,
)

USERS = "identity.users"
PERMISSIONS = "access.object_permissions"


@check(
    id="CRM-PII-006",
    title="Integration users cannot read high-risk PII objects",
    dimension=Dimension.PII,
    severity=Severity.MEDIUM,
    requires=(USERS, PERMISSIONS, SCHEMA_OBJECTS),
    optional=(DATA_SAMPLES,),
    params={"categories": ["cn_resident_id", "payment_card", "us_ssn", "iban", "passport"]},
    rationale=(
        "An integration user's token is stored in another system and used without a person watching; if that "
        "system is breached, every object the integration can read leaks with it."
    ),
    remediation=(
        "Check that each reported integration needs the object; otherwise remove Read on it from the integration "
        "user's profile or permission sets, or exclude the high-risk fields with field-level security. categories "
        "lists the PII categories that make an object high-risk."
    ),
    references=(
        "https://help.salesforce.com/s/articleView?id=sf.integration_user.htm&type=5",
        "https://gdpr-info.eu/art-25-gdpr/",
    ),
    frameworks={
        "iso27001_2022": ("A.5.15", "A.8.3"),
        "gdpr": ("Art. 25",),
        "pipl": ("Art. 51",),
        "soc2": ("CC6.3",),
        "nist_csf_2": ("PR.AA-05",),
        "gbt22239_2019_l3": ("8.1.4.2", "8.1.4.11"),
    },
)
def pii_readable_by_integrations(evidence: Evidence, *, categories: list[str]) -> list[Finding]:
    """One finding per high-risk PII object: WARN when an active integration user's profile can read it."""
    integration_profiles = _integration_profiles(evidence)
    if not integration_profiles:
        message = "No active integration user was found."
        return [Finding(Status.NOT_APPLICABLE, resource="organization", message=message)]
    pii = pii_fields(evidence, categories)
    if not pii:
        message = "No object holding PII in the high-risk categories was found."
        return [Finding(Status.NOT_APPLICABLE, resource="organization", message=message)]
    readers = _readers(evidence)
    findings = []
    for object_name in sorted({name.split(".", 1)[0] for name in pii}):
        fields = sorted(name for name in pii if name.startswith(f"{object_name}."))
        reading = sorted(readers.get(object_name, set()) & integration_profiles)
        findings.append(_judge(object_name, fields, reading))
    return findings


def _integration_profiles(evidence: Evidence) -> set[str]:
    profiles = set()
    for user in evidence.records(USERS):
        integration = user.get("is_integration") is True or user.get("user_type") == "integration"
        if integration and field_of(user, "active", bool, key=USERS):
            profiles.add(field_of(user, "profile", str, key=USERS))
    return profiles


def _readers(evidence: Evidence) -> dict[str, set[str]]:
    readers: dict[str, set[str]] = {}
    for row in evidence.records(PERMISSIONS):
        if field_of(row, "read", bool, key=PERMISSIONS):
            object_name = field_of(row, "object", str, key=PERMISSIONS)
            readers.setdefault(object_name, set()).add(field_of(row, "profile", str, key=PERMISSIONS))
    return readers


def _judge(object_name: str, fields: list[str], reading: list[str]) -> Finding:
    details: dict[str, JsonValue] = {"high_risk_fields": fields[:20], "integration_profiles": reading[:20]}
    if reading:
        message = f"{object_name} holds high-risk PII and integration profile(s) {', '.join(reading[:5])} can read it."
        return Finding(Status.WARN, resource=object_name, message=message, details=details)
    message = f"{object_name} holds high-risk PII; no integration user's profile can read it."
    return Finding(Status.PASS, resource=object_name, message=message, details=details)
