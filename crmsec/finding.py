"""`Finding`: one verdict of a check (part of the check API, re-exported by `crmsec.plugin`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from crmsec.errors import Reason
from crmsec.vocabulary import JsonValue, Status


@dataclass(frozen=True, slots=True)
class Finding:
    """One verdict of a check about one resource (a user, a field, a host, the organization)."""

    status: Status
    resource: str
    message: str
    details: Mapping[str, JsonValue] = field(default_factory=dict)
    reason: Reason | None = None
