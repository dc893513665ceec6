"""A local, Salesforce-compatible lab over real TLS, for tests, the demo and benchmarks.

```python
with start_lab(LabConfig(scenario="misconfigured", users=200)) as lab:
    lab.url, lab.ca_bundle, lab.token   # https://127.0.0.1:<port>, a PEM path, a random token
```

The server runs in a background thread; `crmsec lab serve` runs the same server in the foreground. Every
start makes a new throwaway CA and a new random token. The data is synthetic and deterministic for a seed.
"""

from __future__ import annotations

import secrets
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from crmsec.errors import InputError
from crmsec.lab import oauth
from crmsec.lab.certs import make_certificates
from crmsec.lab.health_check import LOCALES
from crmsec.lab.org import LabOrg
from crmsec.lab.people import require_faker
from crmsec.lab.scenarios import SCENARIOS
from crmsec.lab.server import FAULT_KINDS, FAULT_SCOPES, ServerState, TlsThreadingServer, tls_context

__all__ = ["SCENARIOS", "Lab", "LabConfig", "start_lab"]


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _today() -> datetime:
    return _utc_now().replace(hour=0, minute=0, second=0, microsecond=0)


@dataclass(frozen=True, slots=True)
class LabConfig:
    """How to run the lab."""

    scenario: str = "misconfigured"
    host: str = "127.0.0.1"
    port: int = 0
    users: int = 200
    contacts: int = 1000
    seed: int = 7
    latency_ms: float = 0.0
    fault_rate: float = 0.0
    fault_kinds: tuple[str, ...] = FAULT_KINDS
    """Which faults `fault_rate` draws from (crmsec.lab.server.FAULT_KINDS); the seed makes the draws repeatable."""
    fault_scope: str = "api"
    """`api`: faults strike the versioned REST, Tooling and Metadata APIs; `all`: every path (web probes too)."""
    expire_after: int | None = None
    """Stop accepting the token after this many authenticated requests (tests 401 handling)."""
    daily_limit: int = 100_000
    api_used: int = 1_000
    tls: str = "modern"
    locale: str = "en"
    """Language of the org's display texts (Health Check labels and values): `en` or `de` (crmsec.lab.health_check)."""
    sandbox: bool = False
    """Serve a sandbox org: `Organization.IsSandbox` true, and the token endpoint accepts JWT assertions only
    with the sandbox audience `https://test.salesforce.com` (as Salesforce does for sandboxes)."""
    missing_fields: tuple[str, ...] = ()
    """`Object.Field` names this org lacks (e.g. `PermissionSet.PermissionsManageEncryptionKeys`, see
    crmsec.lab.org.VARIANTS): describes omit them and SOQL naming them fails with INVALID_FIELD."""
    query_batch_size: int = 2000
    """Records per query page (Salesforce's default and maximum is 2,000; a smaller one, e.g. 5, makes every
    result of a few rows span pages, so tests see the connector follow `nextRecordsUrl`)."""
    now: datetime = field(default_factory=_today)
    """The moment the org's timestamps are built from (the start of the day the lab starts)."""
    clock: Callable[[], datetime] = field(default=_utc_now)
    """What time it is: served timestamps move by the whole days from `now` to it (`LabOrg.shift`), so the
    org's ages (and the verdicts on them) do not drift while the lab runs; tests pass a fake clock."""
    jwt_public_key: bytes | None = None
    """PEM of the RSA public key whose private half may sign JWT bearer assertions (consumer key
    `crmsec.lab.oauth.CLIENT_ID`); without it the token endpoint refuses the JWT grant."""

    def validate(self) -> None:
        """Raise InputError on a value the lab cannot run with."""
        if self.scenario not in SCENARIOS:
            raise InputError(f"--scenario {self.scenario!r} is unknown ({', '.join(SCENARIOS)})")
        if self.users < 3:
            raise InputError("--users must be at least 3 (admins, an integration user and a guest)")
        if not 0.0 <= self.fault_rate <= 1.0:
            raise InputError("--fault-rate must be between 0 and 1")
        unknown = sorted(set(self.fault_kinds) - set(FAULT_KINDS))
        if unknown or not self.fault_kinds:
            raise InputError(f"--fault-kinds must name some of {', '.join(FAULT_KINDS)} (unknown: {unknown})")
        if self.fault_scope not in FAULT_SCOPES:
            raise InputError(f"--fault-scope must be one of {', '.join(FAULT_SCOPES)}")
        if self.tls not in ("modern", "legacy"):
            raise InputError("--tls must be modern or legacy")
        if self.locale not in LOCALES:
            raise InputError(f"--locale must be one of {', '.join(LOCALES)}")
        if not 1 <= self.query_batch_size <= 2000:
            raise InputError("--query-batch-size must be between 1 and 2000")
        if self.jwt_public_key is not None:
            try:
                oauth.load_public_key(self.jwt_public_key)
            except ValueError as error:
                raise InputError("the lab's JWT public key is not an RSA public key in PEM") from error


class Lab:
    """A running lab server."""

    def __init__(self, config: LabConfig) -> None:
        require_faker()
        config.validate()
        self.config = config
        try:
            org = LabOrg(
                replace(SCENARIOS[config.scenario], locale=config.locale, sandbox=config.sandbox),
                seed=config.seed,
                users=config.users,
                contacts=config.contacts,
                now=config.now,
                missing_fields=config.missing_fields,
                clock=config.clock,
            )
        except ValueError as error:
            raise InputError(f"--variant/missing_fields: {error}") from error
        self._directory = tempfile.TemporaryDirectory(prefix="crmsec-lab-")
        certificates = make_certificates(Path(self._directory.name))
        self.ca_bundle = certificates.ca_bundle
        self.token = secrets.token_urlsafe(24)
        self.state = ServerState(
            token=self.token,
            org=org,
            oauth=oauth.OAuthSettings(
                client_secret=self.token,
                audience=oauth.SANDBOX_AUDIENCE if config.sandbox else oauth.AUDIENCE,
                jwt_public_key=oauth.load_public_key(config.jwt_public_key) if config.jwt_public_key else None,
            ),
            latency_seconds=config.latency_ms / 1000.0,
            fault_rate=config.fault_rate,
            expire_after=config.expire_after,
            daily_limit=config.daily_limit,
            used=config.api_used,
            fault_seed=config.seed,
            fault_kinds=tuple(config.fault_kinds),
            fault_scope=config.fault_scope,
            query_batch_size=config.query_batch_size,
            lock=threading.Lock(),
        )
        context = tls_context(str(certificates.certificate), str(certificates.private_key), profile=config.tls)
        self.server = TlsThreadingServer((config.host, config.port), self.state, context)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """The lab's base URL."""
        host, port = str(self.server.server_address[0]), self.server.server_address[1]
        shown = f"[{host}]" if ":" in host else host
        return f"https://{shown}:{port}"

    def announcement(self) -> dict[str, str]:
        """What `crmsec lab serve` prints: url, CA bundle path, the token (also the client secret), client id."""
        return {"url": self.url, "ca_bundle": str(self.ca_bundle), "token": self.token, "client_id": oauth.CLIENT_ID}

    def serve_forever(self) -> None:
        """Serve in the current thread until `stop()`."""
        self.server.serve_forever(poll_interval=0.2)

    def start(self) -> Lab:
        """Serve in a daemon thread."""
        self._thread = threading.Thread(target=self.serve_forever, name="crmsec-lab", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and delete the certificates."""
        self.server.shutdown()
        self.server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._directory.cleanup()


@contextmanager
def start_lab(config: LabConfig | None = None) -> Iterator[Lab]:
    """Run a lab in a background thread for the duration of the `with` block."""
    lab = Lab(config or LabConfig()).start()
    try:
        yield lab
    finally:
        lab.stop()
