"""CRM-AUD-001: changes to fields holding personal data are tracked in field history."""

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


@check(
    id="CRM-AUD-001",
    title="Field history is tracked on PII fields",
    dimension=Dimension.AUDIT_LOGGING,
    severity=Severity.MEDIUM,
    requires=(SCHEMA_OBJECTS,),
    optional=(DATA_SAMPLES,),
    params={"categories": [category for category in PII_CATEGORIES if category != "person_name"]},
    rationale=(
        "When an email address, phone number or bank detail is changed, field history shows who changed it and "
        "from what; without it, account-takeover and payment-diversion fraud leave no trace in the CRM."
    ),
    remediation=(
        "Turn on field history tracking for every reported field (Salesforce: Set History Tracking on the object; "
        "self-hosted: enable the audit/changelog plugin for the model). categories selects the PII categories "
        "that must be tracked."
    ),
    references=(
        "https://help.salesforce.com/s/articleView?id=sf.tracking_field_history.htm&type=5",
        "https://gdpr-info.eu/art-5-gdpr/",
    ),
    frameworks={
        "iso27001_2022": ("A.8.15",),
        "soc2": ("CC7.2",),
        "gdpr": ("Art. 5(1)(f)",),
        "pipl": ("Art. 51",),
        "nist_csf_2": ("DE.CM-09",),
        "gbt22239_2019_l3": ("8.1.4.3", "8.1.4.11"),
    },
)
def pii_field_history(evidence: Evidence, *, categories: list[str]) -> list[Finding]:
    """One finding per PII field: PASS when tracked, FAIL when not, MANUAL when the platform does not say."""
    schema = schema_fields(evidence)
    pii = pii_fields(evidence, categories)
    if not pii:
        message = "No field holding PII in the tracked categories was found."
        return [Finding(Status.NOT_APPLICABLE, resource="organization", message=message)]
    return [_judge(name, found, schema.get(name, {})) for name, found in pii.items()]


def _judge(name: str, found: list[str], record: dict[str, JsonValue]) -> Finding:
    kinds = ", ".join(found)
    tracked = record.get("history_tracked")
    details: dict[str, JsonValue] = {"categories": found, "history_tracked": tracked}
    if tracked is True:
        return Finding(Status.PASS, resource=name, message=f"{name} ({kinds}) is history-tracked.", details=details)
    if tracked is False:
        message = f"{name} holds PII ({kinds}) but changes to it are not history-tracked."
        return Finding(Status.FAIL, resource=name, message=message, details=details)
    if tracked is None:
        message = f"{name} holds PII ({kinds}); the platform does not say whether its history is tracked."
        return Finding(Status.MANUAL, resource=name, message=message, details=details)
    raise EvidenceError(f"{SCHEMA_OBJECTS}: {name} has a history_tracked value that is not a boolean")
