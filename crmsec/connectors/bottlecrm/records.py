"""The schema of contacts, leads, accounts and opportunities, and a bounded, masked sample of their values.

Field definitions come from BottleCRM's OpenAPI document (`/schema/`, readable with a session JWT or a
personal access token; the org API key is refused). When it cannot be read, field names and JSON types are
taken from the sampled records instead, and `field_source` says so.

The sample is the first page of each list (at most `sample_size` records, newest first). Raw values go to
`crmsec.pii.classify_column` and are dropped; only counts and masked examples enter the evidence.
BottleCRM stores every field in plain text columns and has no field-level encryption, so `encrypted` is
false for every field (encryption of the whole database is `encryption.platform`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from crmsec.connectors.bottlecrm.api import BottleApi
from crmsec.connectors.samples import sample_entry
from crmsec.errors import ConnectorError, Reason
from crmsec.vocabulary import JsonValue

OPENAPI = "/schema/"
NOT_OFFERED = frozenset(range(400, 500)) - {401, 407, 408, 429}
"""Answers for `/schema/` meaning "not for this credential" or "not here"; 401 is a credential failure."""


@dataclass(frozen=True, slots=True)
class ObjectSpec:
    """Where one object lives in the API: list path, OpenAPI component, where its rows and counts sit."""

    name: str
    label: str
    path: str
    component: str
    rows: tuple[str, ...]
    counts: tuple[tuple[str, ...], ...]


OBJECTS: tuple[ObjectSpec, ...] = (
    ObjectSpec("contacts", "Contacts", "/api/contacts/", "Contact", ("results",), (("count",),)),
    ObjectSpec("leads", "Leads", "/api/leads/", "Lead", ("open_leads", "open_leads"), (("totals", "count"),)),
    ObjectSpec(
        "accounts",
        "Accounts",
        "/api/accounts/",
        "Account",
        ("active_accounts", "open_accounts"),
        (("active_accounts", "open_accounts_count"), ("closed_accounts", "close_accounts_count")),
    ),
    ObjectSpec(
        "opportunities",
        "Opportunities",
        "/api/opportunities/",
        "Opportunity",
        ("opportunities",),
        (("opportunities_count",),),
    ),
)


@dataclass(frozen=True, slots=True)
class ObjectSample:
    """What one list request gave: the object, its record count and the sampled rows."""

    spec: ObjectSpec
    record_count: int | None
    rows: list[dict[str, Any]]


def _dig(body: Any, path: Sequence[str]) -> Any:
    for step in path:
        body = body.get(step) if isinstance(body, dict) else None
    return body


async def sample_object(api: BottleApi, spec: ObjectSpec, *, sample_size: int) -> ObjectSample:
    """One bounded list request for `spec`; an answer without the list is `malformed_response`."""
    body = await api.document(spec.path, query={"limit": sample_size, "offset": 0})
    rows = _dig(body, spec.rows)
    if not isinstance(rows, list):
        where = ".".join(spec.rows)
        raise ConnectorError(
            f"GET {spec.path}: no {where} list", endpoint=f"GET {spec.path}", reason=Reason.MALFORMED_RESPONSE
        )
    counts = [_dig(body, path) for path in spec.counts]
    known = [count for count in counts if isinstance(count, int) and not isinstance(count, bool)]
    record_count = sum(known) if known else None
    sampled = [row for row in rows if isinstance(row, dict)][:sample_size]
    return ObjectSample(spec, record_count, sampled)


async def openapi_components(api: BottleApi) -> dict[str, Any] | None:
    """The OpenAPI component schemas, or None when the document is refused to this credential or absent.

    Refused or absent is a 4xx answer (403 for the org API key, 404 where the schema view is off). A 429, a
    5xx or a broken answer raises `ConnectorError`: a fault must not turn `field_source` into `records`.
    """
    response = await api.get(OPENAPI, query={"format": "json"}, accept=NOT_OFFERED)
    if response.status in NOT_OFFERED:
        return None
    document = response.json()
    components = _dig(document, ("components", "schemas"))
    return components if isinstance(components, dict) else None


def _field_type(definition: dict[str, Any]) -> str:
    if isinstance(definition.get("format"), str):
        return str(definition["format"])
    if isinstance(definition.get("type"), str):
        return str(definition["type"])
    for variant in (*definition.get("oneOf", ()), *definition.get("allOf", ())):
        if isinstance(variant, dict):
            if "$ref" in variant:
                return "reference"
            return _field_type(variant)
    return "reference" if "$ref" in definition else "unknown"


def _json_type(values: list[Any]) -> str:
    for value in values:
        if value is None:
            continue
        if isinstance(value, bool):
            return "boolean"
        if isinstance(value, int | float):
            return "number"
        if isinstance(value, str):
            return "string"
        return "array" if isinstance(value, list) else "object"
    return "unknown"


def _field(name: str, label: str, kind: str) -> dict[str, JsonValue]:
    return {"name": name, "label": label, "type": kind, "encrypted": False, "history_tracked": None,
            "classification": None, "retention_rule": None}  # fmt: skip


def schema_object(sample: ObjectSample, components: dict[str, Any] | None) -> dict[str, JsonValue]:
    """One `schema.objects` entry: fields from OpenAPI when available, else from the sampled rows."""
    component = (components or {}).get(sample.spec.component)
    properties = component.get("properties") if isinstance(component, dict) else None
    if isinstance(properties, dict):
        fields = [
            _field(name, str(definition.get("title") or name), _field_type(definition))
            for name, definition in sorted(properties.items())
            if isinstance(definition, dict)
        ]
        source = "openapi"
    else:
        names = sorted({name for row in sample.rows for name in row})
        fields = [_field(name, name, _json_type([row.get(name) for row in sample.rows])) for name in names]
        source = "records"
    return {"name": sample.spec.name, "label": sample.spec.label, "record_count": sample.record_count,
            "field_source": source, "fields": fields}  # fmt: skip


def data_samples(sample: ObjectSample) -> list[dict[str, JsonValue]]:
    """`data.samples` entries for every text field of the sampled rows (masked; raw values are dropped)."""
    names = sorted({name for row in sample.rows for name, value in row.items() if isinstance(value, str)})
    entries: list[dict[str, JsonValue]] = []
    for name in names:
        values = [value if isinstance((value := row.get(name)), str) else None for row in sample.rows]
        entries.append(sample_entry(sample.spec.name, name, values))
    return entries
