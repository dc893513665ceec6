"""CRM-ENC-002: fields classified as sensitive are encrypted."""

import re

from crmsec.plugin import Dimension, Evidence, EvidenceError, Finding, JsonValue, Severity, Status, check, field_of

SCHEMA = "schema.objects"
ENCRYPTION = "encryption.platform"
SENSITIVE = ["Confidential", "Restricted", "MissionCritical", "HighlySensitive", "Secret"]


@check(
    id="CRM-ENC-002",
    title="Fields classified as sensitive are encrypted",
    dimension=Dimension.ENCRYPTION,
    severity=Severity.HIGH,
    requires=(SCHEMA, ENCRYPTION),
    params={"sensitive_classifications": SENSITIVE},
    rationale=(
        "A data classification is a promise about handling; a field the organization itself labels Confidential "
        "or Restricted but stores unencrypted breaks that promise. (CRM-PII-002 judges fields found to hold PII in "
        "samples; this check judges the organization's own classification.)"
    ),
    remediation=(
        "Encrypt every field whose classification is one of sensitive_classifications (Salesforce: Platform "
        "Encryption policy, Encrypt Fields), or correct the classification if it is wrong."
    ),
    references=(
        "https://developer.salesforce.com/docs/platform/api-rest-encryption/guide",
        "https://csrc.nist.gov/pubs/sp/800/111/final",
    ),
    frameworks={
        "iso27001_2022": ("A.8.24", "A.5.12"),
        "soc2": ("C1.1", "CC6.1"),
        "gdpr": ("Art. 32",),
        "pipl": ("Art. 51",),
        "nist_csf_2": ("PR.DS-01",),
        "gbt22239_2019_l3": ("8.1.4.8",),
    },
)
def sensitive_fields_encrypted(evidence: Evidence, *, sensitive_classifications: list[str]) -> list[Finding]:
    """One finding per field with a sensitive classification: PASS encrypted, FAIL not, MANUAL unknown.

    A field's classification may hold several labels joined by ';' (e.g. "Confidential;PII;GDPR"); any
    sensitive label counts. A field counts as encrypted when schema.objects marks it `encrypted` or
    encryption.platform lists it in `encrypted_fields`. NOT_APPLICABLE when no field carries a sensitive classification.
    """
    wanted = {label.lower() for label in sensitive_classifications}
    listed = _encrypted_fields(evidence.mapping(ENCRYPTION))
    findings: list[Finding] = []
    for record in evidence.records(SCHEMA):
        object_name = field_of(record, "name", str, key=SCHEMA)
        fields = record.get("fields") or []
        if not isinstance(fields, list):
            raise EvidenceError(f"{SCHEMA}: fields of {object_name} should be a list")
        for field in fields:
            classification = _sensitive_label(field, wanted)
            if classification is not None:
                findings.append(_judge(object_name, field, classification, listed))
    if findings:
        return findings
    message = f"No field is classified as {', '.join(sensitive_classifications)}; nothing to judge."
    return [Finding(Status.NOT_APPLICABLE, resource="organization", message=message)]


def _sensitive_label(field: JsonValue, wanted: set[str]) -> str | None:
    """The first sensitive label of a field; connectors may join several labels with ';' (level;group;...)."""
    if not isinstance(field, dict):
        raise EvidenceError(f"{SCHEMA}: each field should be an object")
    classification = field.get("classification")
    if not isinstance(classification, str):
        return None
    labels = [label.strip() for label in re.split(r"[;,]", classification)]
    return next((label for label in labels if label.lower() in wanted), None)


def _encrypted_fields(platform: dict[str, JsonValue]) -> set[str] | None:
    listed = platform.get("encrypted_fields")
    if listed is None:
        return None
    if not isinstance(listed, list) or not all(isinstance(name, str) for name in listed):
        raise EvidenceError(f"{ENCRYPTION}: encrypted_fields should be a list of 'Object.Field' names")
    return set(listed)


def _judge(object_name: str, field: dict[str, JsonValue], classification: str, listed: set[str] | None) -> Finding:
    resource = f"{object_name}.{field_of(field, 'name', str, key=SCHEMA)}"
    flag = field.get("encrypted")
    details: dict[str, JsonValue] = {"classification": classification, "encrypted": flag}
    if flag is True or (listed is not None and resource in listed):
        return Finding(Status.PASS, resource, f"{resource} ({classification}) is encrypted.", details)
    if flag is False or listed is not None:
        return Finding(Status.FAIL, resource, f"{resource} is classified {classification} but not encrypted.", details)
    message = f"Whether {resource} ({classification}) is encrypted is unknown; check the encryption policy by hand."
    return Finding(Status.MANUAL, resource=resource, message=message, details=details)
