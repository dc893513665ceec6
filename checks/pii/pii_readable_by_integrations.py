"""CRM-PII-006: integration users cannot read objects that hold high-risk personal data."""

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


USERS = "identity.users"
PERMISSIONS = "access.object_permissions"


@check(
    id="CRM-PII-006",
    title="Integration users cannot read high-risk PII objects",
    dimension=Dimension.PII,
    severity=Severity.MEDIUM,
    requires=(USERS, PERMISSIONS, SCHEMA),
    optional=(SAMPLES,),
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
    pii = _pii_fields(evidence, categories)
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
