"""The record sample of the BottleCRM and Tryton connectors: its size option and its `data.samples` entries.

Both read up to `sample_size` records per object (option, 1..200, default 50) and classify every text field
with `crmsec.pii.classify_column`; an entry keeps counts, categories, confidence and masked examples (only
when a category was found), never a raw value.
"""

from __future__ import annotations

from collections.abc import Sequence

from crmsec.connectors.options import Option
from crmsec.pii import classify_column
from crmsec.vocabulary import JsonValue

DEFAULT_SAMPLE_SIZE = 50
MAX_SAMPLE_SIZE = 200
SAMPLE_SIZE = Option(
    "sample_size", "int", DEFAULT_SAMPLE_SIZE, "records read per object for the PII scan", low=1, high=MAX_SAMPLE_SIZE
)


def sample_entry(object_name: str, field: str, values: Sequence[str | None]) -> dict[str, JsonValue]:
    """The `data.samples` entry of one text field from its sampled values (masked; raw values are dropped)."""
    result = classify_column(field, values)
    return {
        "object": object_name,
        "field": field,
        "sampled": result.sampled,
        "non_empty": result.non_empty,
        "categories": list(result.categories),
        "confidence": dict(result.confidence),
        "detections": {category: result.counts.get(category, 0) for category in result.categories},
        "masked_examples": list(result.masked_examples) if result.categories else [],
    }
