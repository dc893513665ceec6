"""Evidence items and snapshots: what a connector saw, with source, time and sha256, and nothing judged.

A snapshot is one JSON document (`evidence.schema.json`): metadata about the collection plus items keyed by
dotted evidence keys. Each item carries either a value or an error (reason + message), never both.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
from jsonschema.exceptions import best_match

from crmsec import documents, evidence_keys
from crmsec.canonical import digest
from crmsec.errors import EvidenceFileError, Reason
from crmsec.redaction import Identities
from crmsec.vocabulary import JsonValue

SCHEMA_VERSION = "1"


def utc_now() -> datetime:
    """The current time in UTC, to the second (the default clock)."""
    return datetime.now(UTC).replace(microsecond=0)


def timestamp(moment: datetime) -> str:
    """An RFC 3339 UTC timestamp with a `Z` suffix."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True, slots=True)
class ItemError:
    """Why an item could not be collected."""

    reason: Reason
    message: str


@dataclass(frozen=True, slots=True)
class EvidenceItem:
    """One piece of evidence: a value or an error, its source (method + path, or file) and sha256."""

    key: str
    source: str
    collected_at: str
    value: JsonValue = None
    error: ItemError | None = None
    sha256: str = ""

    @classmethod
    def of_value(cls, key: str, value: JsonValue, *, source: str, collected_at: str) -> EvidenceItem:
        """An item holding a value; its sha256 is computed from the canonical JSON of the value."""
        return cls(key=key, source=source, collected_at=collected_at, value=value, sha256=digest(value))

    @classmethod
    def of_error(cls, key: str, reason: Reason, message: str, *, source: str, collected_at: str) -> EvidenceItem:
        """An item recording why the key could not be collected."""
        error = {"reason": str(reason), "message": message}
        return cls(
            key=key,
            source=source,
            collected_at=collected_at,
            error=ItemError(reason, message),
            sha256=digest(error),
        )

    def to_json(self) -> dict[str, JsonValue]:
        """The item's JSON form (without its key, which is the mapping key in the snapshot)."""
        document: dict[str, JsonValue] = {
            "source": self.source,
            "collected_at": self.collected_at,
            "sha256": self.sha256,
        }
        if self.error is None:
            document["value"] = self.value
        else:
            document["error"] = {"reason": str(self.error.reason), "message": self.error.message}
        return document


@dataclass(frozen=True, slots=True)
class SnapshotMetadata:
    """Who collected the snapshot, from where, when, and at what cost in API calls. Never a secret."""

    platform: str
    target_url: str
    collected_at: str
    connector: str
    connector_version: str
    tool_version: str
    api_calls: int = 0
    notes: tuple[str, ...] = ()
    identities: Identities = Identities.SHOWN
    """`masked` when the connector pseudonymised account identifiers (the default of `crmsec collect`); `shown`
    for `--show-identities`, fixtures, and files written before crmsec recorded it (they held raw usernames)."""

    def to_json(self) -> dict[str, JsonValue]:
        """The metadata's JSON form."""
        return {
            "schema_version": SCHEMA_VERSION,
            "tool": "crmsec",
            "tool_version": self.tool_version,
            "platform": self.platform,
            "target_url": self.target_url,
            "collected_at": self.collected_at,
            "connector": self.connector,
            "connector_version": self.connector_version,
            "api_calls": self.api_calls,
            "notes": list(self.notes),
            "identities": str(self.identities),
        }


@dataclass(frozen=True, slots=True)
class EvidenceSnapshot:
    """Everything collected from one target, keyed by dotted evidence key."""

    metadata: SnapshotMetadata
    items: Mapping[str, EvidenceItem] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # However a snapshot is built (a connector, evidence.json, input files, a plugin or an API caller), a
        # value of the wrong shape for its catalogued key becomes an error item here, so checks never see it.
        replaced = _misshapen(self.items)
        if replaced:
            object.__setattr__(self, "items", {**self.items, **replaced})

    def to_json(self) -> dict[str, JsonValue]:
        """The snapshot as a JSON document, valid against `evidence.schema.json`."""
        return {
            "metadata": self.metadata.to_json(),
            "items": {key: self.items[key].to_json() for key in sorted(self.items)},
        }

    def to_bytes(self) -> bytes:
        """The bytes written to evidence.json (stable: sorted keys)."""
        return documents.pretty_bytes(self.to_json())

    @property
    def sha256(self) -> str:
        """The sha256 of the snapshot's canonical JSON."""
        return digest(self.to_json())

    def values(self) -> dict[str, JsonValue]:
        """Key -> value for every item collected without error."""
        return {key: item.value for key, item in self.items.items() if item.error is None}

    def with_items(self, extra: Mapping[str, EvidenceItem]) -> EvidenceSnapshot:
        """A copy with more items (e.g. input files added at evaluation); later items win."""
        return EvidenceSnapshot(self.metadata, {**self.items, **extra})


def snapshot_from_json(document: Any, *, where: str = "evidence") -> EvidenceSnapshot:
    """Build a snapshot from parsed JSON, validating it first; errors name `where` and the JSON pointer."""
    documents.validate(document, "evidence", where=where, error=EvidenceFileError)
    meta = document["metadata"]
    metadata = SnapshotMetadata(
        platform=meta["platform"],
        target_url=meta["target_url"],
        collected_at=meta["collected_at"],
        connector=meta["connector"],
        connector_version=meta["connector_version"],
        tool_version=meta["tool_version"],
        api_calls=meta["api_calls"],
        notes=tuple(meta.get("notes", ())),
        identities=Identities(meta.get("identities", Identities.SHOWN)),
    )
    items = {key: _item_from_json(key, raw, where=where) for key, raw in document["items"].items()}
    return EvidenceSnapshot(metadata, items)


def _item_from_json(key: str, raw: dict[str, Any], *, where: str) -> EvidenceItem:
    error = raw.get("error")
    if error is not None:
        item = EvidenceItem.of_error(
            key,
            Reason(error["reason"]),
            error["message"],
            source=raw["source"],
            collected_at=raw["collected_at"],
        )
    else:
        item = EvidenceItem.of_value(key, raw["value"], source=raw["source"], collected_at=raw["collected_at"])
    if item.sha256 != raw["sha256"]:
        raise EvidenceFileError(f"{where}: /items/{key}/sha256: does not match the item's content")
    return item


@cache
def _validator(key: str) -> jsonschema.Draft202012Validator | None:
    entry = evidence_keys.get(key)
    return None if entry is None else jsonschema.Draft202012Validator(entry.schema)


def shape_problem(key: str, value: JsonValue) -> str | None:
    """Why `value` does not match the catalogue schema of `key` (JSON path and message), or None when it does.

    Keys outside the catalogue (`raw.*`, plugin keys) are not checked.
    """
    validator = _validator(key)
    if validator is None:
        return None
    problem = best_match(validator.iter_errors(value))
    if problem is None:
        return None
    message = problem.message if len(problem.message) < 160 else problem.message[:160] + "..."
    return f"{key}{documents.pointer(problem.absolute_path)}: {message}"


_CHECKED: dict[tuple[str, str], str | None] = {}
"""(key, item sha256) -> shape problem: a value is validated once however many snapshots hold it."""
_CHECKED_MAX = 4096


def _misshapen(items: Mapping[str, EvidenceItem]) -> dict[str, EvidenceItem]:
    """Error items (`evidence_unusable`, naming key and JSON path) for the values of the wrong shape."""
    replaced: dict[str, EvidenceItem] = {}
    for key, item in items.items():
        if item.error is not None or evidence_keys.get(key) is None:
            continue
        if (key, item.sha256) not in _CHECKED:
            if len(_CHECKED) >= _CHECKED_MAX:
                _CHECKED.clear()
            _CHECKED[key, item.sha256] = shape_problem(key, item.value)
        problem = _CHECKED[key, item.sha256]
        if problem is not None:
            message = f"value does not have the catalogued shape (docs/evidence-keys.md) at {problem}"
            replaced[key] = EvidenceItem.of_error(
                key, Reason.EVIDENCE_UNUSABLE, message, source=item.source, collected_at=item.collected_at
            )
    return replaced


def validate_snapshot(snapshot: EvidenceSnapshot) -> None:
    """Check a snapshot built in memory (by a connector) against the schema before anyone relies on it."""
    documents.validate(
        snapshot.to_json(), "evidence", where=f"evidence from {snapshot.metadata.connector}", error=EvidenceFileError
    )


def load_snapshot(path: Path) -> EvidenceSnapshot:
    """Load and validate evidence.json; any problem raises `EvidenceFileError` naming file and pointer."""
    document = documents.read_json(path, EvidenceFileError)
    return snapshot_from_json(document, where=str(path))


def save_snapshot(snapshot: EvidenceSnapshot, path: Path) -> None:
    """Write evidence.json with mode 0600 (it can hold masked PII samples)."""
    documents.write_private(path, snapshot.to_bytes())
