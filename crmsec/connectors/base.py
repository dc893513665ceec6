"""The connector seam: a connector collects evidence from one platform and never judges it.

A connector is any object with `platform`, `version` and an async `collect(target, client, recorder)`.
It records values and errors through the `Recorder`; it raises `TargetError` only when the target as a
whole is unusable (unreachable, TLS unverified, credentials rejected). A connector that never sends
credentials declares `sends_credentials = False` (the `web` platform); any other one is assumed to send
them, so the CLI refuses an `http://` URL for it (`target.require_secure_transport`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, TypeAlias

import httpx

from crmsec.errors import ConnectorError, Reason
from crmsec.evidence import EvidenceItem, EvidenceSnapshot, SnapshotMetadata, timestamp, utc_now
from crmsec.redaction import Identities, mask_identities
from crmsec.target import Target
from crmsec.version import __version__
from crmsec.vocabulary import JsonValue

Clock = Callable[[], str]

HttpClient: TypeAlias = httpx.AsyncClient
"""The HTTP client a connector is handed (from `crmsec.connectors.http.make_client`, or a test's mock)."""


def default_clock() -> str:
    """The current UTC time as an evidence timestamp."""
    return timestamp(utc_now())


class Recorder:
    """Collects evidence items during one collection, then builds the snapshot.

    Keys recorded twice keep the last record. `requested` restricts what is kept to the keys a caller
    asked for (empty means everything). Unless `identities` is `shown`, account identifiers (the fields of
    `crmsec.redaction.IDENTITY_FIELDS`) are pseudonymised here, before they enter evidence, whatever the
    connector: evidence then cannot be unmasked, not even by `crmsec evaluate`.
    """

    def __init__(
        self,
        *,
        clock: Clock = default_clock,
        requested: Sequence[str] = (),
        identities: Identities = Identities.MASKED,
    ) -> None:
        self._clock = clock
        self._items: dict[str, EvidenceItem] = {}
        self._requested = frozenset(requested)
        self.identities = identities
        self.api_calls = 0
        self.notes: list[str] = []

    def wants(self, key: str) -> bool:
        """True when `key` should be collected."""
        return not self._requested or key in self._requested

    def add(self, key: str, value: JsonValue, *, source: str) -> None:
        """Record a collected value."""
        if self.wants(key):
            if self.identities is Identities.MASKED:
                value = mask_identities(key, value)
            self._items[key] = EvidenceItem.of_value(key, value, source=source, collected_at=self._clock())

    def fail(self, key: str, reason: Reason, message: str, *, source: str) -> None:
        """Record why `key` could not be collected (the message must hold no secret or body)."""
        if self.wants(key):
            self._items[key] = EvidenceItem.of_error(key, reason, message, source=source, collected_at=self._clock())

    def fail_from(self, key: str, error: ConnectorError) -> None:
        """Record a connector error against `key`."""
        self.fail(key, error.reason, str(error), source=error.endpoint)

    def note(self, message: str) -> None:
        """Add a note to the snapshot metadata (e.g. "stopped at 80% of the daily API budget")."""
        self.notes.append(message)

    @property
    def keys(self) -> list[str]:
        """The keys recorded so far."""
        return sorted(self._items)

    def build(self, target: Target, *, connector: str, connector_version: str) -> EvidenceSnapshot:
        """The snapshot of everything recorded (a value of the wrong catalogued shape becomes an error there)."""
        metadata = SnapshotMetadata(
            platform=target.platform,
            target_url=target.url,
            collected_at=self._clock(),
            connector=connector,
            connector_version=connector_version,
            tool_version=__version__,
            api_calls=self.api_calls,
            notes=tuple(self.notes),
            identities=self.identities,
        )
        return EvidenceSnapshot(metadata, dict(self._items))


class Connector(Protocol):
    """What every platform connector provides."""

    platform: str
    version: str

    async def collect(self, target: Target, client: HttpClient, recorder: Recorder) -> None:
        """Collect every evidence key this platform can give into `recorder`."""
        ...
