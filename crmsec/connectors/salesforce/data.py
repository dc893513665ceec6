"""Schema, PII samples and data quality from describes and a bounded record sample (pure functions).

The sample is the first `SAMPLE_ROWS` records by Id (one query per object). For PII, up to
`VALUES_PER_FIELD` non-empty values per text field are drawn at random (seeded) and handed to
`crmsec.pii.classify_column`; only its counts and masked examples enter evidence, never a raw value.
Data quality counts (completeness, invalid emails and phones, duplicates, inconsistent spellings,
stale records) are computed on the same sample.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import phonenumbers

from crmsec.connectors.salesforce.values import nested, parse_time
from crmsec.pii import classify_column

SAMPLE_ROWS = 2000
VALUES_PER_FIELD = 200
TEXT_TYPES = frozenset({"string", "email", "phone", "textarea", "encryptedstring", "url"})
SAMPLED_OBJECTS = ("Contact", "Lead", "Account")
ADOPTION_OBJECTS = ("Account", "Contact", "Lead", "Opportunity", "Case")
KEY_FIELDS = {
    "Contact": ("LastName", "Email", "Phone", "AccountId"),
    "Lead": ("LastName", "Email", "Phone", "Company"),
    "Account": ("Name", "Phone", "Industry"),
}
COUNTRY_FIELDS = {"Contact": "MailingCountry", "Lead": "Country", "Account": "BillingCountry"}
STALE_MONTHS = 24
_FIELD_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
_COUNTRY_ALIASES = {
    "usa": "united states",
    "u.s.": "united states",
    "us": "united states",
    "uk": "united kingdom",
    "great britain": "united kingdom",
    "de": "germany",
    "prc": "china",
    "cn": "china",
}


@dataclass(frozen=True, slots=True)
class Sampled:
    """One object's sample reduced to evidence: `data.samples` entries and its `data.quality` entry."""

    samples: list[dict[str, Any]]
    quality: dict[str, Any]


def schema_object(
    describe: Mapping[str, Any], *, record_count: int | None, definitions: Mapping[str, Mapping[str, Any]]
) -> dict[str, Any]:
    """One `schema.objects` entry from a describe plus FieldDefinition rows (`Object.Field` -> row)."""
    name = str(describe.get("name"))
    fields = []
    for field in describe.get("fields") or ():
        if not isinstance(field, Mapping):
            continue
        definition = definitions.get(f"{name}.{field.get('name')}", {})
        classification = definition.get("SecurityClassification")
        groups = definition.get("ComplianceGroup")
        fields.append(
            {
                "name": field.get("name"),
                "label": field.get("label"),
                "type": field.get("type"),
                "encrypted": field.get("encrypted") is True or field.get("type") == "encryptedstring",
                "history_tracked": definition.get("IsFieldHistoryTracked") if definition else None,
                "classification": ";".join(x for x in (classification, groups) if x) or None,
                "retention_rule": None,
            }
        )
    return {"name": name, "label": describe.get("label"), "record_count": record_count, "fields": fields}


def text_fields(describe: Mapping[str, Any]) -> list[str]:
    """The text-like fields of a describe, to sample."""
    return [
        str(field["name"])
        for field in describe.get("fields") or ()
        if isinstance(field, Mapping) and field.get("type") in TEXT_TYPES and field.get("name") != "Id"
    ]


def quality_fields(object_name: str, describe: Mapping[str, Any]) -> list[str]:
    """The key, country and name fields data quality needs that the object has (beyond text fields)."""
    present = {str(field.get("name")) for field in describe.get("fields") or () if isinstance(field, Mapping)}
    wanted = [*KEY_FIELDS.get(object_name, ()), COUNTRY_FIELDS.get(object_name, ""), "FirstName", "LastName", "Company"]
    return [name for name in wanted if name in present]


def sample_query(object_name: str, fields: Iterable[str]) -> str:
    """SOQL for the bounded sample of one object."""
    wanted = dict.fromkeys(["Id", *(name for name in fields if _FIELD_NAME.fullmatch(name)), "LastModifiedDate"])
    if object_name == "Contact":
        wanted["Account.Name"] = None
    # Field names come from describe and are checked against _FIELD_NAME; the object name is ours.
    return f"SELECT {', '.join(wanted)} FROM {object_name} ORDER BY Id LIMIT {SAMPLE_ROWS}"  # noqa: S608


def samples(
    object_name: str, fields: list[str], records: Sequence[Mapping[str, Any]], *, seed: int
) -> list[dict[str, Any]]:
    """`data.samples` entries for one object: counts and masked examples per text field."""
    rng = random.Random(f"{seed}:{object_name}")  # noqa: S311 -- a reproducible sample, not a secret
    entries = []
    for field in fields:
        values = [value for record in records if isinstance(value := record.get(field), str) and value.strip()]
        chosen = rng.sample(values, VALUES_PER_FIELD) if len(values) > VALUES_PER_FIELD else values
        result = classify_column(field, chosen)
        entries.append(
            {
                "object": object_name,
                "field": field,
                "sampled": result.sampled,
                "non_empty": result.non_empty,
                "detections": {category: result.counts.get(category, 0) for category in result.categories},
                "masked_examples": list(result.masked_examples),
            }
        )
    return entries


def _valid_phone(text: str) -> bool:
    try:
        number = phonenumbers.parse(text, None if text.strip().startswith("+") else "US")
    except phonenumbers.NumberParseException:
        return False
    return bool(phonenumbers.is_possible_number(number))


def _normalized_phone(text: str) -> str:
    return re.sub(r"\D", "", text)


def quality(object_name: str, records: Sequence[Mapping[str, Any]], *, now: datetime) -> dict[str, Any]:
    """One `data.quality` entry (counts only) computed on the sample."""
    keys = KEY_FIELDS.get(object_name, ("Name",))
    total = len(records)
    completeness = {
        key: round(sum(1 for row in records if row.get(key) not in (None, "")) / total, 3) if total else None
        for key in keys
    }
    emails = [str(row["Email"]) for row in records if row.get("Email")]
    phones = [str(row["Phone"]) for row in records if row.get("Phone")]
    cutoff = now - timedelta(days=30 * STALE_MONTHS)
    stale = sum(1 for row in records if (moment := parse_time(row.get("LastModifiedDate"))) and moment < cutoff)
    return {
        "object": object_name,
        "sampled": total,
        "key_fields": list(keys),
        "completeness": completeness,
        "invalid_email": sum(1 for email in emails if not _EMAIL.fullmatch(email.strip())),
        "invalid_phone": sum(1 for phone in phones if not _valid_phone(phone)),
        "duplicates": _duplicates(object_name, records),
        "inconsistent": _inconsistent(object_name, records),
        "stale": stale,
        "stale_months": STALE_MONTHS,
    }


def _duplicates(object_name: str, records: Sequence[Mapping[str, Any]]) -> int:
    """Records that repeat an earlier one's normalized email, phone, or name + company."""
    seen: set[tuple[str, str]] = set()
    duplicates = 0
    for row in records:
        company = row.get("Company") or nested(row, "Account.Name") or ""
        name = f"{row.get('FirstName') or ''} {row.get('LastName') or row.get('Name') or ''}".strip().lower()
        keys = [
            ("email", str(row.get("Email") or "").strip().lower()),
            ("phone", _normalized_phone(str(row.get("Phone") or ""))),
            ("name", f"{name}|{str(company).strip().lower()}" if name and company else ""),
        ]
        keys = [key for key in keys if key[1]]
        if any(key in seen for key in keys):
            duplicates += 1
        seen.update(keys)
    return duplicates


def _inconsistent(object_name: str, records: Sequence[Mapping[str, Any]]) -> int:
    """Records that spell a country differently from the most common spelling of the same country."""
    field = COUNTRY_FIELDS.get(object_name)
    if field is None:
        return 0
    spellings: dict[str, Counter[str]] = {}
    for row in records:
        raw = str(row.get(field) or "").strip()
        if raw:
            canonical = _COUNTRY_ALIASES.get(raw.lower(), raw.lower())
            spellings.setdefault(canonical, Counter())[raw] += 1
    return sum(sum(counter.values()) - counter.most_common(1)[0][1] for counter in spellings.values())
