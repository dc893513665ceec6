"""CRM-PII-001: every field holding personal data carries a data classification."""

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
    id="CRM-PII-001",
    title="PII fields carry a data classification",
    dimension=Dimension.PII,
    severity=Severity.MEDIUM,
    requires=(SCHEMA_OBJECTS,),
    optional=(DATA_SAMPLES,),
    params={"categories": [category for category in PII_CATEGORIES if category != "person_name"]},
    rationale=(
        "Retention, masking, export and breach-notification rules can only follow personal data that is labelled "
        "as such; an unlabelled PII field drops out of every one of them."
    ),
    remediation=(
        "Set a data classification (Salesforce: Data Sensitivity Level and Compliance Categorization) on every "
        "field reported here. categories selects the PII categories the inventory covers; person names are left out by "
        "default because company and record names are often mistaken for them: add person_name where names matter."
    ),
    references=(
        "https://help.salesforce.com/s/articleView?id=sf.data_classification_metadata_fields.htm&type=5",
        "https://gdpr-info.eu/art-30-gdpr/",
    ),
    frameworks={
        "iso27001_2022": ("A.5.12", "A.5.34"),
        "gdpr": ("Art. 30",),
        "pipl": ("Art. 51",),
        "soc2": ("C1.1",),
        "nist_csf_2": ("ID.AM-07",),
        "gbt22239_2019_l3": ("8.1.4.11",),
    },
)
def pii_fields_classified(evidence: Evidence, *, categories: list[str]) -> list[Finding]:
    """One finding per PII field: PASS when it carries a classification, WARN when it has none."""
    schema = schema_fields(evidence)
    pii = pii_fields(evidence, categories)
    if not pii:
        message = "No field holding PII was found by name, type or sampled values."
        return [Finding(Status.NOT_APPLICABLE, resource="organization", message=message)]
    return [_judge(name, found, schema.get(name)) for name, found in pii.items()]


def _judge(name: str, found: list[str], record: dict[str, JsonValue] | None) -> Finding:
    kinds = ", ".join(found)
    if record is None:
        message = f"{name} holds PII ({kinds}) in sampled values but is not described, so it has no classification."
        return Finding(Status.WARN, resource=name, message=message, details={"categories": found})
    label = record.get("classification")
    if isinstance(label, list):
        label = ";".join(str(item) for item in label)
    if label is not None and not isinstance(label, str):
        raise EvidenceError(f"{SCHEMA_OBJECTS}: {name} has a classification that is neither text nor a list")
    details: dict[str, JsonValue] = {"categories": found, "classification": label or None}
    if label and label.strip():
        return Finding(Status.PASS, resource=name, message=f"{name} ({kinds}) is classified {label}.", details=details)
    message = f"{name} holds PII ({kinds}) but has no data classification."
    return Finding(Status.WARN, resource=name, message=message, details=details)
