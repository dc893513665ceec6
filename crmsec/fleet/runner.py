"""Scan many orgs on one machine: bounded parallelism on one event loop, one API budget per org.

`run_fleet` collects from up to `parallel` orgs at once (an asyncio semaphore; connectors are async, so
waiting on one org's network costs nothing while another is evaluated). Each org gets its own httpx client
with a `RequestBudget`. The evaluation (CPU-bound, pure) runs in a worker thread, one at a time, handed in
by the caller as `evaluate` so the runner stays free of rendering and signing. An org that cannot be
scanned (unreachable, TLS unverified, credentials rejected, a crash) is recorded as `failed` with its
reason and the run goes on with the others: one broken org never stops a fleet.

Every org folder gets a `fleet-target.json` record (schema `fleet_target`) that `crmsec merge` reads: what
was planned, what happened, the requests sent, and the sha256 of the report.json and evidence.json this run
wrote, so a stale or edited report is noticed at merge time.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio

from crmsec import documents, engine
from crmsec.canonical import sha256_hex
from crmsec.connectors import load_connector
from crmsec.connectors.http import make_client
from crmsec.errors import CrmsecError, InputError, Reason, TargetError
from crmsec.evidence import EvidenceSnapshot, timestamp, utc_now
from crmsec.fleet.budget import RequestBudget
from crmsec.fleet.plan import PlannedTarget
from crmsec.fleet.shard import Shard
from crmsec.redaction import Identities
from crmsec.target import (
    DEFAULT_TOKEN_ENV,
    Secret,
    Target,
    credentials_from_file,
    require_secure_transport,
    secret_from_environment,
)

logger = logging.getLogger(__name__)

RECORD_NAME = "fleet-target.json"
RECORD_SCHEMA = "fleet_target"
DEFAULT_PARALLEL = 4
DEFAULT_ORG_TIMEOUT = 1800.0
SCANNED = "scanned"
FAILED = "failed"
OWN_FILES = ("report.json", "evidence.json")

Evaluate = Callable[[EvidenceSnapshot, PlannedTarget, Path], int]
"""Evaluate one org's snapshot and write its bundle into the folder; returns the org's gate exit code (0/1)."""
Observe = Callable[["TargetOutcome", int, int], None]
"""Told about each finished org: the outcome, how many are done, how many in all."""


@dataclass(frozen=True, slots=True)
class TargetOutcome:
    """What happened to one org of the fleet."""

    name: str
    status: str
    exit_code: int
    out_dir: Path
    error: str | None = None
    reason: str | None = None
    requests_sent: int = 0
    requests_refused: int = 0


def build_target(planned: PlannedTarget) -> Target:
    """The connector's Target for a planned org: the secret is read here, from its variable or file.

    Problems (file unreadable, plain http to a remote host) raise InputError naming the target.
    """
    try:
        if getattr(load_connector(planned.platform), "sends_credentials", True):
            require_secure_transport(
                planned.url, platform=planned.platform, allow_insecure_http=planned.allow_insecure_http
            )
        credentials: dict[str, Secret] = (
            credentials_from_file(planned.credentials_file) if planned.credentials_file is not None else {}
        )
    except InputError as error:
        raise InputError(f"target {planned.name}: {error}", hint=error.hint) from error
    secret = credentials.get("token")
    if secret is None and planned.credentials_file is None:
        secret = secret_from_environment(planned.credentials_env or DEFAULT_TOKEN_ENV)
    return Target(
        platform=planned.platform,
        url=planned.url,
        secret=secret,
        ca_bundle=planned.ca_bundle,
        options=dict(planned.options),
        credentials=credentials,
    )


def preflight(targets: Sequence[PlannedTarget]) -> dict[str, Target]:
    """Build every Target before anything is scanned, so a configuration error stops the run early (exit 2).

    A variable that is unset, or a missing CA bundle, is named with its target.
    """
    built: dict[str, Target] = {}
    for planned in targets:
        variable = planned.credentials_env or DEFAULT_TOKEN_ENV
        sends_credentials = getattr(load_connector(planned.platform), "sends_credentials", True)
        if sends_credentials and planned.credentials_file is None and secret_from_environment(variable) is None:
            raise InputError(
                f"target {planned.name}: credentials: variable {variable} is not set",
                hint="export the variable (the secret never goes in the targets file) or use credentials.file",
            )
        if planned.ca_bundle is not None and not planned.ca_bundle.is_file():
            raise InputError(f"target {planned.name}: ca_bundle: {planned.ca_bundle} is not a file")
        built[planned.name] = build_target(planned)
    return built


def refuse_foreign_orgs(out_dir: Path, names: set[str]) -> None:
    """Refuse an --out folder holding org records this run would not rewrite (another shard's, or an org since
    removed from the targets file): merging that folder would report them as if they were current."""
    if not out_dir.is_dir():
        return
    foreign = sorted(
        child.name for child in out_dir.iterdir() if (child / RECORD_NAME).is_file() and child.name not in names
    )
    if foreign:
        raise InputError(
            f"{out_dir}: holds {len(foreign)} org folder(s) this shard does not scan, e.g. {foreign[0]}",
            hint="give each shard its own empty --out folder (a folder may be reused only by the same shard)",
        )


async def run_fleet(
    targets: Sequence[PlannedTarget],
    out_dir: Path,
    evaluate: Evaluate,
    *,
    shard: Shard,
    parallel: int = DEFAULT_PARALLEL,
    identities: Identities = Identities.MASKED,
    observe: Observe | None = None,
    org_timeout: float | None = DEFAULT_ORG_TIMEOUT,
) -> list[TargetOutcome]:
    """Scan `targets` with at most `parallel` orgs in flight; one outcome per target, in name order.

    An org whose collection takes longer than `org_timeout` seconds is abandoned and recorded as failed
    (`timeout`), so one stuck org cannot hold a slot for the rest of the run.
    """
    built = preflight(targets)
    refuse_foreign_orgs(out_dir, {planned.name for planned in targets})
    slots = asyncio.Semaphore(max(1, parallel))
    evaluation = threading.Lock()  # evaluations share the check registry and are CPU-bound: one at a time
    done = 0
    outcomes: list[TargetOutcome] = []

    escaped: list[CrmsecError] = []

    async def one(planned: PlannedTarget) -> None:
        nonlocal done
        try:
            async with slots:
                outcome = await _scan(planned, built[planned.name], out_dir / planned.name, evaluate, evaluation,
                                      shard=shard, identities=identities, org_timeout=org_timeout)  # fmt: skip
        except CrmsecError as error:  # the record itself could not be written: stop, naming the file
            escaped.append(error)
            return
        outcomes.append(outcome)
        done += 1
        if observe is not None:
            observe(outcome, done, len(targets))

    async with anyio.create_task_group() as group:
        for planned in targets:
            group.start_soon(one, planned)
    if escaped:
        raise escaped[0]
    return sorted(outcomes, key=lambda outcome: outcome.name)


async def _scan(
    planned: PlannedTarget,
    target: Target,
    folder: Path,
    evaluate: Evaluate,
    evaluation: threading.Lock,
    *,
    shard: Shard,
    identities: Identities,
    org_timeout: float | None,
) -> TargetOutcome:
    started = utc_now()
    clock = time.perf_counter()
    budget = RequestBudget(planned.max_requests)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _remove_own_files(folder)
        with anyio.fail_after(org_timeout):
            async with budget.attach(make_client(target)) as client:
                snapshot = await engine.collect(target, client=client, identities=identities)

        def locked() -> int:
            with evaluation:
                return evaluate(snapshot, planned, folder)

        code = await anyio.to_thread.run_sync(locked)
        outcome = TargetOutcome(planned.name, SCANNED, code, folder)
    except TargetError as error:
        outcome = TargetOutcome(planned.name, FAILED, 3, folder, error=str(error), reason=str(error.reason))
    except InputError as error:
        outcome = TargetOutcome(planned.name, FAILED, 2, folder, error=str(error), reason=str(Reason.INPUT_INVALID))
    except CrmsecError as error:
        outcome = TargetOutcome(planned.name, FAILED, 3, folder, error=str(error), reason=None)
    except TimeoutError:
        message = f"{planned.url}: collection took longer than {org_timeout:g} s (--org-timeout)"
        outcome = TargetOutcome(planned.name, FAILED, 3, folder, error=message, reason=str(Reason.TIMEOUT))
    except Exception as error:  # boundary: one org's crash must not stop the fleet; exit 3 for that org
        logger.debug("org %s: the scan crashed", planned.name, exc_info=True)
        outcome = TargetOutcome(planned.name, FAILED, 3, folder, error=f"internal error: {type(error).__name__}")
    outcome = _with_requests(outcome, budget)
    if outcome.status == FAILED:
        _remove_own_files(folder)
    write_record(outcome, planned, shard=shard, started=started, seconds=time.perf_counter() - clock)
    return outcome


def _with_requests(outcome: TargetOutcome, budget: RequestBudget) -> TargetOutcome:
    return TargetOutcome(
        outcome.name,
        outcome.status,
        outcome.exit_code,
        outcome.out_dir,
        error=outcome.error,
        reason=outcome.reason,
        requests_sent=budget.sent,
        requests_refused=budget.refused,
    )


def _remove_own_files(folder: Path) -> None:
    """Remove what an earlier run of this org left (report, evidence, renders, envelope, record)."""
    from crmsec.render import available
    from crmsec.signing import ENVELOPE_NAME

    names = (*OWN_FILES, RECORD_NAME, ENVELOPE_NAME, *(entry.filename for entry in available().values()))
    for name in names:
        path = folder / name
        if path.is_symlink() or path.is_file():
            try:
                path.unlink()
            except OSError as error:
                reason = error.strerror or type(error).__name__
                raise InputError(f"{path}: left from an earlier run and cannot be removed ({reason})") from error


def write_record(outcome: TargetOutcome, planned: PlannedTarget, *, shard: Shard, started: Any, seconds: float) -> Path:
    """Write the org's `fleet-target.json` (validated against its schema first)."""
    digests = {
        name: sha256_hex((outcome.out_dir / name).read_bytes()) if outcome.status == SCANNED else None
        for name in OWN_FILES
    }
    record: dict[str, Any] = {
        "schema_version": "1",
        "name": planned.name,
        "platform": planned.platform,
        "url": planned.url,
        "profile": planned.profile,
        "tags": list(planned.tags),
        "shard": str(shard),
        "status": outcome.status,
        "exit_code": outcome.exit_code,
        "error": outcome.error,
        "reason": outcome.reason,
        "requests": {"sent": outcome.requests_sent, "refused": outcome.requests_refused, "limit": planned.max_requests},
        "report_sha256": digests["report.json"],
        "evidence_sha256": digests["evidence.json"],
        "started_at": timestamp(started),
        "seconds": round(seconds, 3),
    }
    documents.validate(record, RECORD_SCHEMA, where=str(outcome.out_dir / RECORD_NAME), error=InputError)
    path = outcome.out_dir / RECORD_NAME
    documents.write_private(path, documents.pretty_bytes(record))
    return path


def exit_code(outcomes: Sequence[TargetOutcome]) -> int:
    """The run's exit code: 3 when an org could not be scanned, 2 for an org's input error, 1 when an org's gate
    failed, else 0."""
    codes = {outcome.exit_code for outcome in outcomes}
    for code in (3, 2, 1):
        if code in codes:
            return code
    return 0
