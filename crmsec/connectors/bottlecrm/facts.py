"""Deployment facts: what a self-hosted CRM's API cannot show (backups, encryption at rest), from a YAML file.

An operator states these facts in a small YAML file passed as target option `facts=PATH` (`--facts FILE`).
The file is input, not proof: every value built from it says `"source": "facts_file"`, so a reader of the
report sees which evidence was declared rather than observed. Without a file the same keys are recorded with
every field `null` and `"source": "unknown"`, so checks can only answer MANUAL (a human must look).

Format (every section and field is optional; docs/bottlecrm.md has the full description):

    version: 1
    database:
      encrypted_at_rest: true
      provider: "LUKS on the database volume"
      customer_managed_key: true
    backup:
      configured: true
      schedule: "daily 02:00 UTC"
      last_success_at: 2026-11-22T02:13:00Z
      retention_days: 35
      encrypted: true
      last_restore_test_at: 2026-10-01T09:00:00Z
    audit_log:
      retention_days: 365
    secret_key:
      weak: false
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crmsec.errors import InputError
from crmsec.evidence import timestamp
from crmsec.safe_yaml import load_yaml_file
from crmsec.vocabulary import JsonValue

FACTS_SOURCE = "facts_file"
UNKNOWN_SOURCE = "unknown"

_SECTIONS: dict[str, dict[str, type | tuple[type, ...]]] = {
    "database": {"encrypted_at_rest": bool, "provider": str, "customer_managed_key": bool},
    "backup": {
        "configured": bool,
        "schedule": str,
        "last_success_at": (str, dt.datetime, dt.date),
        "retention_days": int,
        "encrypted": bool,
        "last_restore_test_at": (str, dt.datetime, dt.date),
    },
    "audit_log": {"retention_days": int},
    "secret_key": {"weak": bool},
}
_TIMESTAMP_FIELDS = frozenset({"last_success_at", "last_restore_test_at"})


@dataclass(frozen=True, slots=True)
class DeploymentFacts:
    """The parsed facts file: section -> field -> value, plus the file name (for evidence sources)."""

    sections: dict[str, dict[str, JsonValue]] = field(default_factory=dict)
    source_name: str | None = None

    def get(self, section: str, name: str) -> JsonValue:
        """One declared value, or None when the file does not state it (or there is no file)."""
        return self.sections.get(section, {}).get(name)

    @property
    def present(self) -> bool:
        """True when a facts file was given."""
        return self.source_name is not None

    @property
    def source(self) -> str:
        """`facts_file` or `unknown`: the `source` field of values built from the facts."""
        return FACTS_SOURCE if self.present else UNKNOWN_SOURCE


def load_facts(path: Path | None) -> DeploymentFacts:
    """Read and validate a facts file; no path gives empty facts. Problems raise InputError naming the field."""
    if path is None:
        return DeploymentFacts()
    document = load_yaml_file(path, error=InputError)
    if document is None:
        document = {}
    if not isinstance(document, dict):
        raise InputError(f"facts file {path}: expected a mapping at the top level")
    version = document.get("version", 1)
    if version != 1:
        raise InputError(f"facts file {path}: version {version!r} is not supported (expected 1)")
    unknown = sorted(set(document) - {*_SECTIONS, "version"})
    if unknown:
        raise InputError(f"facts file {path}: unknown section(s) {', '.join(map(str, unknown))}")
    sections = {name: _section(path, name, document.get(name)) for name in _SECTIONS}
    kept = {name: values for name, values in sections.items() if values}
    return DeploymentFacts(sections=kept, source_name=path.name)


def _section(path: Path, name: str, raw: Any) -> dict[str, JsonValue]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise InputError(f"facts file {path}: {name} should be a mapping")
    allowed = _SECTIONS[name]
    values: dict[str, JsonValue] = {}
    for key, value in raw.items():
        if key not in allowed:
            raise InputError(f"facts file {path}: {name}.{key} is not a known field")
        if value is None:
            continue
        kind = allowed[key]
        if (isinstance(value, bool) and kind is int) or not isinstance(value, kind):
            raise InputError(f"facts file {path}: {name}.{key} has the wrong type")
        values[key] = _timestamp(path, f"{name}.{key}", value) if key in _TIMESTAMP_FIELDS else value
    return values


def _timestamp(path: Path, where: str, value: Any) -> str:
    """Normalise a YAML date, datetime or RFC 3339 string to our UTC timestamp form."""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError as error:
            raise InputError(f"facts file {path}: {where} is not an RFC 3339 timestamp") from error
    if not isinstance(value, dt.datetime):  # a YAML date (the type check above allows nothing else)
        value = dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return timestamp(value)


def backup_status(facts: DeploymentFacts) -> dict[str, JsonValue]:
    """The `backup.status` value: declared facts, or every field null with `source: unknown`."""
    return {
        "configured": facts.get("backup", "configured"),
        "schedule": facts.get("backup", "schedule"),
        "last_success_at": facts.get("backup", "last_success_at"),
        "retention_days": facts.get("backup", "retention_days"),
        "last_restore_test_at": facts.get("backup", "last_restore_test_at"),
        "encrypted": facts.get("backup", "encrypted"),
        "source": facts.source if facts.sections.get("backup") else UNKNOWN_SOURCE,
    }


def encryption_platform(facts: DeploymentFacts) -> dict[str, JsonValue]:
    """The `encryption.platform` value: at-rest encryption of the database as declared, else nulls.

    BottleCRM has no field-level encryption and no key management of its own, so `encrypted_fields` and
    `keys` stay null (unknown) unless the database section says otherwise; `enabled` mirrors the declared
    database encryption.
    """
    encrypted = facts.get("database", "encrypted_at_rest")
    customer_managed = facts.get("database", "customer_managed_key")
    keys: JsonValue = None
    if customer_managed is not None:
        keys = [{"id": "database", "type": "database", "status": "active", "created_at": None,
                 "customer_managed": customer_managed}]  # fmt: skip
    return {
        "enabled": encrypted,
        "provider": facts.get("database", "provider"),
        "encrypted_fields": None,
        "keys": keys,
        "database_encrypted": encrypted,
        "source": facts.source if facts.sections.get("database") else UNKNOWN_SOURCE,
    }
