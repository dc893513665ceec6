"""CRM-PII-004: objects holding personal data have a retention rule."""

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
    field_of,
    pii_fields,
    schema_fields,
)


@check(
    id="CRM-PII-004",
    title="PII objects have a retention rule",
    dimension=Dimension.PII,
    severity=Severity.MEDIUM,
    requires=(SCHEMA_OBJECTS,),
    optional=(DATA_SAMPLES,),
    params={"categories": list(PII_CATEGORIES)},
    rationale=(
        "Personal data kept longer than its purpose needs breaks storage limitation and enlarges every breach; "
        "without a rule, nothing ever deletes or anonymises it."
    ),
    remediation=(
        "Define a retention rule (deletion or anonymisation after a set period) for every reported object or for "
        "each of its PII fields, and record it in the data inventory; where the platform cannot express retention, "
        "document the scheduled job that enforces it and waive the MANUAL finding."
    ),
    references=(
        "https://gdpr-info.eu/art-5-gdpr/",
        "https://help.salesforce.com/s/articleView?id=sf.data_classification_metadata_fields.htm&type=5",
    ),
    frameworks={
        "iso27001_2022": ("A.5.33", "A.5.34", "A.8.10"),
        "gdpr": ("Art. 5(1)(e)", "Art. 30"),
        "pipl": ("Art. 19", "Art. 47"),
        "nist_csf_2": ("PR.DS-01",),
        "gbt22239_2019_l3": ("8.1.4.11",),
    },
)
def pii_retention_rules(evidence: Evidence, *, categories: list[str]) -> list[Finding]:
    """One finding per PII object: PASS with a rule, FAIL when known to have none, MANUAL when unknown."""
    pii = pii_fields(evidence, categories)
    if not pii:
        message = "No object holding PII was found by name, type or sampled values."
        return [Finding(Status.NOT_APPLICABLE, resource="organization", message=message)]
    object_rules = _object_rules(evidence)
    fields = schema_fields(evidence)
    by_object: dict[str, list[str]] = {}
    for name in pii:
        by_object.setdefault(name.split(".", 1)[0], []).append(name)
    return [
        _judge(object_name, object_rules.get(object_name), {name: _state(fields.get(name)) for name in names})
        for object_name, names in sorted(by_object.items())
    ]


def _object_rules(evidence: Evidence) -> dict[str, JsonValue]:
    records = evidence.records(SCHEMA_OBJECTS)
    return {field_of(record, "name", str, key=SCHEMA_OBJECTS): record.get("retention_rule") for record in records}


def _state(record: dict[str, JsonValue] | None) -> str:
    """'rule', 'none' or 'unknown' for one field's retention_rule (null means the platform cannot say)."""
    rule = None if record is None else record.get("retention_rule")
    if isinstance(rule, str) and rule.strip():
        return "rule"
    if rule is False or rule == "":
        return "none"
    if rule is None:
        return "unknown"
    raise EvidenceError(f"{SCHEMA_OBJECTS}: retention_rule should be text, false or null")


def _judge(object_name: str, object_rule: JsonValue, states: dict[str, str]) -> Finding:
    without = sorted(name for name, state in states.items() if state == "none")
    unknown = sorted(name for name, state in states.items() if state == "unknown")
    details: dict[str, JsonValue] = {
        "object_rule": object_rule if isinstance(object_rule, str) else None,
        "fields_without_rule": without[:20],
        "fields_unknown": unknown[:20],
        "pii_fields": len(states),
    }
    if isinstance(object_rule, str) and object_rule.strip():
        message = f"{object_name} holds PII and has the retention rule {object_rule!r}."
        return Finding(Status.PASS, resource=object_name, message=message, details=details)
    if without:
        message = f"{object_name} holds PII; {len(without)} PII field(s) lack a retention rule and the object has none."
        return Finding(Status.FAIL, resource=object_name, message=message, details=details)
    if unknown:
        message = f"{object_name} holds PII; the platform does not say whether a retention rule applies."
        return Finding(Status.MANUAL, resource=object_name, message=message, details=details)
    message = f"{object_name} holds PII and each of its {len(states)} PII field(s) has a retention rule."
    return Finding(Status.PASS, resource=object_name, message=message, details=details)
