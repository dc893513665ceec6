"""CRM-PII-004: objects holding personal data have a retention rule."""

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
    id="CRM-PII-004",
    title="PII objects have a retention rule",
    dimension=Dimension.PII,
    severity=Severity.MEDIUM,
    requires=(SCHEMA,),
    optional=(SAMPLES,),
    params={"categories": list(ALL_CATEGORIES)},
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
    pii = _pii_fields(evidence, categories)
    if not pii:
        message = "No object holding PII was found by name, type or sampled values."
        return [Finding(Status.NOT_APPLICABLE, resource="organization", message=message)]
    object_rules = _object_rules(evidence)
    fields = _schema_fields(evidence)
    by_object: dict[str, list[str]] = {}
    for name in pii:
        by_object.setdefault(name.split(".", 1)[0], []).append(name)
    return [
        _judge(object_name, object_rules.get(object_name), {name: _state(fields.get(name)) for name in names})
        for object_name, names in sorted(by_object.items())
    ]


def _object_rules(evidence: Evidence) -> dict[str, JsonValue]:
    records = evidence.records(SCHEMA)
    return {field_of(record, "name", str, key=SCHEMA): record.get("retention_rule") for record in records}


def _state(record: dict[str, JsonValue] | None) -> str:
    """'rule', 'none' or 'unknown' for one field's retention_rule (null means the platform cannot say)."""
    rule = None if record is None else record.get("retention_rule")
    if isinstance(rule, str) and rule.strip():
        return "rule"
    if rule is False or rule == "":
        return "none"
    if rule is None:
        return "unknown"
    raise EvidenceError(f"{SCHEMA}: retention_rule should be text, false or null")


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
