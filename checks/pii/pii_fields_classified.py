"""CRM-PII-001: every field holding personal data carries a data classification."""

import re

from crmsec.plugin import Dimension, Evidence, EvidenceError, Finding, JsonValue, Severity, Status, check, field_of

# --- PII field discovery. Checks import only crmsec.plugin, so this block is repeated verbatim in
# checks/pii/*.py and checks/audit_logging/pii_field_history.py; change it everywhere at once.
SCHEMA = "schema.objects"
SAMPLES = "data.samples"
ALL_CATEGORIES = (
    "email", "phone", "cn_resident_id", "payment_card", "iban", "us_ssn", "passport",
    "ip_address", "date_of_birth", "person_name", "street_address",
)  # fmt: skip
_HINTS: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...] = (
    ("email", (("email",), ("e", "mail"))),
    ("phone", (("phone",), ("mobile",), ("telephone",), ("fax",), ("cellphone",))),
    ("cn_resident_id", (("national", "id"), ("resident", "id"), ("citizen", "id"), ("id", "card"), ("idcard",))),
    ("payment_card", (("card", "number"), ("card", "no"), ("credit", "card"), ("debit", "card"), ("cardnumber",))),
    ("iban", (("iban",),)),
    ("us_ssn", (("ssn",), ("social", "security"))),
    ("passport", (("passport",),)),
    ("ip_address", (("ip",), ("ipaddress",))),
    ("date_of_birth", (("birthdate",), ("birthday",), ("birth",), ("dob",))),
    ("person_name", (("first", "name"), ("last", "name"), ("middle", "name"), ("full", "name"), ("surname",))),
    ("street_address", (("street",), ("address",))),
)
# Tokens that make a name a flag, counter or setting about PII rather than PII (HasOptedOutOfEmail, Phone_Type__c).
_NEGATIVE = frozenset(
    {"is", "has", "opt", "opted", "bounced", "verified", "template", "count", "type", "status", "domain", "format",
     "valid", "invalid", "consent", "preference", "code", "country", "extension", "expiry", "expiration", "hash"}
)  # fmt: skip
_EXCLUDED_BY = {"street_address": frozenset({"email", "mail", "ip", "web"}), "payment_card": frozenset({"id"})}
_TYPE_HINTS = {"email": "email", "phone": "phone"}


def _tokens(name: str) -> list[str]:
    base = re.sub(r"__c$", "", name)
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", base)
    return [token for token in re.split(r"[^a-z0-9]+", spaced.lower()) if token]


def _name_hints(name: str) -> set[str]:
    tokens = _tokens(name)
    if _NEGATIVE.intersection(tokens):
        return set()
    windows = {tuple(tokens[start : start + size]) for size in (1, 2) for start in range(len(tokens) - size + 1)}
    return {
        category
        for category, patterns in _HINTS
        if windows.intersection(patterns) and not _EXCLUDED_BY.get(category, frozenset()).intersection(tokens)
    }


def _schema_fields(evidence: Evidence) -> dict[str, dict[str, JsonValue]]:
    """Every described field as "Object.Field" -> its schema.objects record."""
    fields: dict[str, dict[str, JsonValue]] = {}
    for record in evidence.records(SCHEMA):
        object_name = field_of(record, "name", str, key=SCHEMA)
        for item in field_of(record, "fields", list, key=SCHEMA):
            if not isinstance(item, dict):
                raise EvidenceError(f"{SCHEMA}: {object_name} has a field that is not an object")
            fields[f"{object_name}.{field_of(item, 'name', str, key=SCHEMA)}"] = item
    return fields


def _detections(evidence: Evidence) -> dict[str, set[str]]:
    """PII categories seen in sampled values, as "Object.Field" -> categories (empty without data.samples)."""
    found: dict[str, set[str]] = {}
    for sample in evidence.records(SAMPLES) if evidence.has(SAMPLES) else []:
        name = f"{field_of(sample, 'object', str, key=SAMPLES)}.{field_of(sample, 'field', str, key=SAMPLES)}"
        counts = field_of(sample, "detections", dict, key=SAMPLES)
        seen = {category for category, count in counts.items() if isinstance(count, int) and count > 0}
        found.setdefault(name, set()).update(seen.intersection(ALL_CATEGORIES))
    return found


def _pii_fields(evidence: Evidence, categories: list[str]) -> dict[str, list[str]]:
    """PII fields by name hint, field type and sampled values, as "Object.Field" -> categories in scope."""
    found = _detections(evidence)
    for qualified, record in _schema_fields(evidence).items():
        hinted = _name_hints(qualified.split(".", 1)[1])
        kind = record.get("type")
        if isinstance(kind, str) and kind.lower() in _TYPE_HINTS:
            hinted.add(_TYPE_HINTS[kind.lower()])
        found.setdefault(qualified, set()).update(hinted)
    scope = set(categories)
    return {
        name: sorted(seen & scope, key=ALL_CATEGORIES.index) for name, seen in sorted(found.items()) if seen & scope
    }


# --- end of PII field discovery.


@check(
    id="CRM-PII-001",
    title="PII fields carry a data classification",
    dimension=Dimension.PII,
    severity=Severity.MEDIUM,
    requires=(SCHEMA,),
    optional=(SAMPLES,),
    params={"categories": [category for category in ALL_CATEGORIES if category != "person_name"]},
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
    schema = _schema_fields(evidence)
    pii = _pii_fields(evidence, categories)
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
        raise EvidenceError(f"{SCHEMA}: {name} has a classification that is neither text nor a list")
    details: dict[str, JsonValue] = {"categories": found, "classification": label or None}
    if label and label.strip():
        return Finding(Status.PASS, resource=name, message=f"{name} ({kinds}) is classified {label}.", details=details)
    message = f"{name} holds PII ({kinds}) but has no data classification."
    return Finding(Status.WARN, resource=name, message=message, details=details)
