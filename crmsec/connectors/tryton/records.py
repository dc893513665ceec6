"""Parties, their contact data and the pipeline: `schema.objects` and masked `data.samples`.

Field definitions come from `ir.model.field` (name, label, type of every field of the objects below).
Values come from one bounded `search_read` per object (the newest `sample_size` records, text fields
only); raw values go to `crmsec.pii.classify_column` and are dropped, so only counts and masked examples
enter the evidence. Tryton stores every field in plain columns (no field-level encryption), so `encrypted`
is false; whether a model keeps history (`_history`) is not visible over RPC, so `history_tracked` is null.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from crmsec.connectors.samples import sample_entry
from crmsec.connectors.tryton.rpc import TrytonRpc
from crmsec.vocabulary import JsonValue

FIELD_FIELDS = ("model", "name", "string", "ttype")


@dataclass(frozen=True, slots=True)
class ObjectSpec:
    """One sampled object: model name, label and the text fields whose values are classified."""

    model: str
    label: str
    text_fields: tuple[str, ...]


OBJECTS: tuple[ObjectSpec, ...] = (
    ObjectSpec("party.party", "Parties", ("name", "code")),
    # `email` and `other_value` are trytond's per-type views of `value`, which mixes e-mail, phone, web...
    ObjectSpec("party.contact_mechanism", "Contact mechanisms", ("email", "other_value", "name", "comment")),
    ObjectSpec("party.address", "Addresses", ("party_name", "street", "postal_code", "city")),
    ObjectSpec("party.identifier", "Party identifiers", ("type", "code")),
    ObjectSpec("sale.opportunity", "Opportunities", ("description", "comment")),
)


@dataclass(frozen=True, slots=True)
class ObjectSample:
    """What the reads of one object gave: its record count, field definitions and sampled rows."""

    spec: ObjectSpec
    record_count: int
    fields: list[dict[str, Any]]
    rows: list[dict[str, Any]]


async def sample_object(rpc: TrytonRpc, spec: ObjectSpec, *, sample_size: int) -> ObjectSample:
    """Count, describe and sample one object (any failed read raises)."""
    count = await rpc.search_count(spec.model, context={"active_test": False})
    fields = await rpc.search_read("ir.model.field", FIELD_FIELDS, domain=[["model", "=", spec.model]])
    rows = await rpc.search_read(spec.model, spec.text_fields, limit=sample_size, order=(("id", "DESC"),),
                                 context={"active_test": False})  # fmt: skip
    return ObjectSample(spec, count, fields, rows)


def schema_object(sample: ObjectSample) -> dict[str, JsonValue]:
    """One `schema.objects` entry from `ir.model.field`."""
    fields: list[JsonValue] = [
        {"name": str(entry.get("name")), "label": str(entry.get("string") or entry.get("name")),
         "type": str(entry.get("ttype") or "unknown"), "encrypted": False, "history_tracked": None,
         "classification": None, "retention_rule": None}
        for entry in sorted(sample.fields, key=lambda entry: str(entry.get("name")))
    ]  # fmt: skip
    return {"name": sample.spec.model, "label": sample.spec.label, "record_count": sample.record_count,
            "field_source": "ir.model.field", "fields": fields}  # fmt: skip


def data_samples(sample: ObjectSample) -> list[dict[str, JsonValue]]:
    """`data.samples` entries for the text fields of the sampled rows (masked; raw values are dropped)."""
    entries: list[dict[str, JsonValue]] = []
    for name in sample.spec.text_fields:
        values: Sequence[str | None] = [
            value if isinstance((value := row.get(name)), str) else None for row in sample.rows
        ]
        entries.append(sample_entry(sample.spec.model, name, values))
    return entries
