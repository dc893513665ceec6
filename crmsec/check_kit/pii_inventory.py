"""The personal-data inventory checks share: which fields hold PII, from schema, names and sampled values.

Part of the check kit, re-exported by `crmsec.plugin`. Pure functions over an `Evidence` view: the calling
check must declare schema.objects (and may declare data.samples).
"""

from __future__ import annotations

import re

from crmsec.errors import EvidenceError
from crmsec.evidence_view import Evidence, field_of
from crmsec.vocabulary import JsonValue

SCHEMA_OBJECTS = "schema.objects"
DATA_SAMPLES = "data.samples"
PII_CATEGORIES: tuple[str, ...] = (
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


def schema_fields(evidence: Evidence) -> dict[str, dict[str, JsonValue]]:
    """Every field described in schema.objects, as "Object.Field" -> its record (the check must declare the key)."""
    fields: dict[str, dict[str, JsonValue]] = {}
    for record in evidence.records(SCHEMA_OBJECTS):
        object_name = field_of(record, "name", str, key=SCHEMA_OBJECTS)
        for item in field_of(record, "fields", list, key=SCHEMA_OBJECTS):
            if not isinstance(item, dict):
                raise EvidenceError(f"{SCHEMA_OBJECTS}: {object_name} has a field that is not an object")
            fields[f"{object_name}.{field_of(item, 'name', str, key=SCHEMA_OBJECTS)}"] = item
    return fields


def _detections(evidence: Evidence) -> dict[str, set[str]]:
    """PII categories seen in sampled values, as "Object.Field" -> categories (empty without data.samples)."""
    found: dict[str, set[str]] = {}
    for sample in evidence.records(DATA_SAMPLES) if evidence.has(DATA_SAMPLES) else []:
        name = f"{field_of(sample, 'object', str, key=DATA_SAMPLES)}.{field_of(sample, 'field', str, key=DATA_SAMPLES)}"
        counts = field_of(sample, "detections", dict, key=DATA_SAMPLES)
        seen = {category for category, count in counts.items() if isinstance(count, int) and count > 0}
        found.setdefault(name, set()).update(seen.intersection(PII_CATEGORIES))
    return found


def pii_fields(evidence: Evidence, categories: list[str]) -> dict[str, list[str]]:
    """Fields holding personal data, as "Object.Field" -> the categories in scope, sorted.

    Combines three signals: the field's name (English tokens, camel case and `__c` aware, with negative
    tokens such as HasOptedOutOfEmail), its declared type (email, phone) and the categories the connector
    detected in sampled values (`data.samples`, optional). The check must declare schema.objects and may
    declare data.samples.
    """
    found = _detections(evidence)
    for qualified, record in schema_fields(evidence).items():
        hinted = _name_hints(qualified.split(".", 1)[1])
        kind = record.get("type")
        if isinstance(kind, str) and kind.lower() in _TYPE_HINTS:
            hinted.add(_TYPE_HINTS[kind.lower()])
        found.setdefault(qualified, set()).update(hinted)
    scope = set(categories)
    return {
        name: sorted(seen & scope, key=PII_CATEGORIES.index) for name, seen in sorted(found.items()) if seen & scope
    }


WELL_KNOWN_PII_OBJECTS: tuple[str, ...] = ("Account", "Case", "Contact", "Lead", "User")
"""Objects assumed to hold personal data when no values were sampled (the check must say it assumed)."""


def objects_with_pii(evidence: Evidence) -> set[str] | None:
    """The objects in whose sampled values the connector detected personal data, or None when data.samples
    was not collected (the check then assumes WELL_KNOWN_PII_OBJECTS and says so). The check must declare
    data.samples (usually as optional)."""
    if not evidence.has(DATA_SAMPLES):
        return None
    objects: set[str] = set()
    for sample in evidence.records(DATA_SAMPLES):
        detections = sample.get("detections") or {}
        if not isinstance(detections, dict):
            raise EvidenceError(f"{DATA_SAMPLES}: detections should be an object")
        if any(isinstance(count, int) and count > 0 for count in detections.values()):
            objects.add(field_of(sample, "object", str, key=DATA_SAMPLES))
    return objects
