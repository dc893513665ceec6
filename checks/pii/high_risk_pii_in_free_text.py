"""CRM-PII-005: national ID, payment card and similar numbers are not typed into free-text fields."""

import re

from crmsec.plugin import Dimension, Evidence, EvidenceError, Finding, JsonValue, Severity, Status, check, field_of

SAMPLES = "data.samples"
SCHEMA = "schema.objects"
TEXT_TYPES = frozenset({"textarea", "longtextarea", "richtextarea", "html", "text"})
SHORT_TEXT_TYPES = frozenset({"string"})
FREE_TEXT_WORDS = frozenset(
    {"note", "notes", "description", "comment", "comments", "remark", "remarks", "memo", "body", "details",
     "summary", "message", "feedback", "text"}
)  # fmt: skip


@check(
    id="CRM-PII-005",
    title="No national ID or payment card numbers in free-text fields",
    dimension=Dimension.PII,
    severity=Severity.HIGH,
    requires=(SAMPLES,),
    optional=(SCHEMA,),
    params={"high_risk_categories": ["cn_resident_id", "payment_card", "us_ssn", "iban", "passport"]},
    rationale=(
        "Numbers pasted into notes and descriptions escape every control built for their proper field: "
        "encryption, masking, field permissions and retention; card numbers there also break PCI DSS scope."
    ),
    remediation=(
        "Remove the reported values from the free-text fields (and from their field history), move them into "
        "dedicated encrypted fields if they are needed at all, and add validation rules or DLP that reject such "
        "numbers in notes; high_risk_categories lists the categories that count."
    ),
    references=(
        "https://gdpr-info.eu/art-5-gdpr/",
        "https://www.pcisecuritystandards.org/document_library/",
    ),
    frameworks={
        "iso27001_2022": ("A.8.11", "A.5.34"),
        "gdpr": ("Art. 5(1)(c)", "Art. 32"),
        "pipl": ("Art. 51",),
        "soc2": ("C1.1",),
        "nist_csf_2": ("PR.DS-01",),
        "gbt22239_2019_l3": ("8.1.4.11",),
    },
)
def high_risk_pii_in_free_text(evidence: Evidence, *, high_risk_categories: list[str]) -> list[Finding]:
    """One finding per sampled, non-empty free-text field: FAIL when high-risk PII was detected in its values."""
    types = _field_types(evidence)
    findings = []
    for sample in evidence.records(SAMPLES):
        name = f"{field_of(sample, 'object', str, key=SAMPLES)}.{field_of(sample, 'field', str, key=SAMPLES)}"
        if _is_free_text(name, types.get(name)) and sample.get("non_empty") != 0:
            findings.append(_judge(name, sample, high_risk_categories))
    if not findings:
        message = "No non-empty free-text field (notes, descriptions, comments, text areas) was sampled."
        return [Finding(Status.NOT_APPLICABLE, resource="organization", message=message)]
    return sorted(findings, key=lambda finding: finding.resource)


def _field_types(evidence: Evidence) -> dict[str, str]:
    types: dict[str, str] = {}
    for record in evidence.records(SCHEMA) if evidence.has(SCHEMA) else []:
        object_name = field_of(record, "name", str, key=SCHEMA)
        for item in field_of(record, "fields", list, key=SCHEMA):
            if isinstance(item, dict) and isinstance(item.get("name"), str) and isinstance(item.get("type"), str):
                types[f"{object_name}.{item['name']}"] = item["type"].lower()
    return types


def _is_free_text(name: str, kind: str | None) -> bool:
    """Text areas always; short text (or an unknown type) when the name reads like notes or a description."""
    if kind in TEXT_TYPES:
        return True
    if kind is not None and kind not in SHORT_TEXT_TYPES:
        return False
    base = re.sub(r"__c$", "", name.split(".", 1)[1])
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", base)
    return bool(FREE_TEXT_WORDS.intersection(re.split(r"[^a-z0-9]+", spaced.lower())))


def _judge(name: str, sample: dict[str, JsonValue], high_risk_categories: list[str]) -> Finding:
    counts = field_of(sample, "detections", dict, key=SAMPLES)
    if not all(isinstance(count, int) and not isinstance(count, bool) for count in counts.values()):
        raise EvidenceError(f"{SAMPLES}: {name} has detection counts that are not integers")
    hits = {category: counts[category] for category in sorted(counts) if category in high_risk_categories}
    hits = {category: count for category, count in hits.items() if count > 0}
    details: dict[str, JsonValue] = {"detections": hits, "sampled": sample.get("sampled")}
    if hits:
        found = ", ".join(f"{category} x{count}" for category, count in hits.items())
        message = f"Free-text field {name} holds high-risk PII in sampled values ({found})."
        return Finding(Status.FAIL, resource=name, message=message, details=details)
    message = f"No high-risk PII in the {sample.get('sampled')} sampled values of free-text field {name}."
    return Finding(Status.PASS, resource=name, message=message, details=details)
