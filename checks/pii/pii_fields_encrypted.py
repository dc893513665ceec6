"""CRM-PII-002: fields holding personal data are encrypted at rest by the platform."""

from crmsec.plugin import (
    DATA_SAMPLES,
    PII_CATEGORIES,
    SCHEMA_OBJECTS,
    Dimension,
    Evidence,
    EvidenceError,
    Finding,
    JsonValue,
    Severity,
    Status,
    check,
    pii_fields,
    schema_fields,
)

ENCRYPTION = "encryption.platform"
HIGH_RISK = ("cn_resident_id", "payment_card", "us_ssn", "iban", "passport")


@check(
    id="CRM-PII-002",
    title="PII fields are encrypted at rest",
    dimension=Dimension.PII,
    severity=Severity.HIGH,
    requires=(ENCRYPTION, SCHEMA_OBJECTS),
    optional=(DATA_SAMPLES,),
    params={
        "categories": [category for category in PII_CATEGORIES if category != "person_name"],
        "warn_categories": [],
    },
    rationale=(
        "Field-level encryption keeps personal data unreadable in backups, sandboxes copied from production and "
        "storage-level leaks; identity and payment numbers are the costliest to lose."
    ),
    remediation=(
        "Encrypt every reported field (Salesforce: Shield Platform Encryption policy; self-hosted: column or "
        "tablespace encryption). categories selects which PII categories must be encrypted; warn_categories "
        "(e.g. email, phone) downgrades those to WARN, but national ID, payment card, SSN, IBAN and passport "
        "fields always FAIL."
    ),
    references=(
        "https://help.salesforce.com/s/articleView?id=sf.security_pe_overview.htm&type=5",
        "https://gdpr-info.eu/art-32-gdpr/",
    ),
    frameworks={
        "iso27001_2022": ("A.8.24", "A.5.34"),
        "gdpr": ("Art. 32", "Art. 25"),
        "pipl": ("Art. 51",),
        "soc2": ("CC6.1", "C1.1"),
        "nist_csf_2": ("PR.DS-01",),
        "gbt22239_2019_l3": ("8.1.4.8", "8.1.4.11"),
    },
)
def pii_fields_encrypted(evidence: Evidence, *, categories: list[str], warn_categories: list[str]) -> list[Finding]:
    """One finding per PII field: PASS when encrypted, FAIL (or WARN for warn_categories) when not."""
    encrypted = _encrypted_fields(evidence)
    schema = schema_fields(evidence)
    pii = pii_fields(evidence, categories)
    if not pii:
        message = "No field holding PII in the required categories was found."
        return [Finding(Status.NOT_APPLICABLE, resource="organization", message=message)]
    return [_judge(name, found, schema.get(name, {}), encrypted, warn_categories) for name, found in pii.items()]


def _encrypted_fields(evidence: Evidence) -> set[str] | None:
    """The encrypted "Object.Field" names, or None when the platform cannot list them."""
    listed = evidence.mapping(ENCRYPTION).get("encrypted_fields")
    if listed is None:
        return None
    if not isinstance(listed, list) or not all(isinstance(item, str) for item in listed):
        raise EvidenceError(f"{ENCRYPTION}: encrypted_fields should be a list of Object.Field names")
    return set(listed)


def _judge(
    name: str, found: list[str], record: dict[str, JsonValue], encrypted: set[str] | None, warn_categories: list[str]
) -> Finding:
    kinds = ", ".join(found)
    flag = record.get("encrypted")
    details: dict[str, JsonValue] = {"categories": found, "encrypted": None}
    if flag is True or (encrypted is not None and name in encrypted):
        details["encrypted"] = True
        return Finding(Status.PASS, resource=name, message=f"{name} ({kinds}) is encrypted.", details=details)
    if flag is None and encrypted is None:
        message = f"{name} holds PII ({kinds}); the platform does not say whether it is encrypted."
        return Finding(Status.MANUAL, resource=name, message=message, details=details)
    details["encrypted"] = False
    high_risk = [category for category in found if category in HIGH_RISK]
    downgrade = not high_risk and all(category in warn_categories for category in found)
    message = f"{name} holds PII ({kinds}) and is not encrypted."
    return Finding(Status.WARN if downgrade else Status.FAIL, resource=name, message=message, details=details)
