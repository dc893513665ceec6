"""Collect, assess, scan: the pipeline from target to report, and the library's entry points.

`collect` talks to the target through a connector and returns a snapshot. `assess` is the complete evaluation
of a snapshot that `crmsec scan` and `crmsec evaluate` run: evaluation inputs and metrics as evidence, then
`check_snapshot`, then recommendations. `check_snapshot` is the core over a snapshot taken as it is: it runs
the profile's checks (`crmsec.runner`: evidence guards, timeouts, crashes -> ERROR) and assembles the report
(`crmsec.assemble`, waivers in `crmsec.waivers`). `evaluate` is the former name of `check_snapshot`, kept as
a deprecated alias: it never did what `crmsec evaluate` does.
"""

from __future__ import annotations

import datetime as dt
import time
import warnings
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from crmsec import evaluation
from crmsec.assemble import assemble_report, record_finding
from crmsec.connectors import load_connector
from crmsec.connectors.base import HttpClient, Recorder
from crmsec.errors import Reason, TargetError
from crmsec.evidence import EvidenceItem, EvidenceSnapshot, utc_now, validate_snapshot
from crmsec.profiles import Profile, require_selection
from crmsec.redaction import Identities
from crmsec.registry import Catalogue
from crmsec.report.build import GateOptions
from crmsec.report.model import Report
from crmsec.runner import DEFAULT_CHECK_TIMEOUT, Observer, run_checks
from crmsec.target import Target
from crmsec.vocabulary import JsonValue

__all__ = [
    "DEFAULT_CHECK_TIMEOUT",
    "EvaluationOptions",
    "Observer",
    "add_items",
    "assess",
    "check_snapshot",
    "collect",
    "evaluate",
    "record_finding",
    "run_checks",
]

Clock = Callable[[], dt.datetime]


def _silent(stage: str, done: int, total: int) -> None:
    return None


@dataclass(frozen=True, slots=True)
class EvaluationOptions:
    """Knobs of one evaluation that are not part of the profile."""

    gate: GateOptions = field(default_factory=GateOptions)
    check_timeout: float = DEFAULT_CHECK_TIMEOUT
    clock: Clock = utc_now
    observer: Observer = _silent
    timings: Mapping[str, float] = field(default_factory=dict)
    metrics: Mapping[str, Mapping[str, JsonValue]] = field(default_factory=dict)
    extras: Mapping[str, JsonValue] = field(default_factory=dict)


async def collect(
    target: Target,
    *,
    client: HttpClient | None = None,
    keys: Sequence[str] = (),
    clock: Callable[[], str] | None = None,
    identities: Identities = Identities.MASKED,
) -> EvidenceSnapshot:
    """Collect evidence from the target through its platform's connector.

    Account identifiers are masked as they enter evidence unless `identities` is `shown` (see `Recorder`).
    Raises TargetError when the target is unusable or nothing at all could be collected.
    """
    connector = load_connector(target.platform)
    recorder = (
        Recorder(requested=keys, identities=identities)
        if clock is None
        else Recorder(requested=keys, clock=clock, identities=identities)
    )
    if client is None:
        from crmsec.connectors.http import make_client

        async with make_client(target) as own_client:
            await connector.collect(target, own_client, recorder)
    else:
        await connector.collect(target, client, recorder)
    snapshot = recorder.build(target, connector=type(connector).__name__, connector_version=connector.version)
    validate_snapshot(snapshot)
    rejected = sorted(
        key for key, item in snapshot.items.items() if item.error and item.error.reason is Reason.AUTHENTICATION_FAILED
    )
    if rejected:
        raise TargetError(
            f"{target.url} rejected the credentials during collection ({len(rejected)} evidence items, "
            f"e.g. {rejected[0]}); a partial snapshot would misjudge the org",
            endpoint=target.url,
            reason=Reason.AUTHENTICATION_FAILED,
            hint="the token may have expired or been revoked mid-scan: get a fresh one and scan again",
        )
    if not snapshot.items or all(item.error is not None for item in snapshot.items.values()):
        reasons = Counter(str(item.error.reason) for item in snapshot.items.values() if item.error)
        summary = ", ".join(f"{reason} x{count}" for reason, count in reasons.most_common(3)) or "no items"
        raise TargetError(
            f"nothing could be collected from {target.url} ({summary})",
            endpoint=target.url,
            reason=Reason.UNREACHABLE,
        )
    return snapshot


def check_snapshot(
    snapshot: EvidenceSnapshot,
    profile: Profile,
    catalogue: Catalogue,
    options: EvaluationOptions | None = None,
) -> Report:
    """Run the profile's checks over the snapshot as it is, apply waivers, score, gate and build the report.

    `assess` is the complete evaluation that `crmsec scan` and `crmsec evaluate` run (evaluation inputs,
    metrics, recommendations). Without `assess`, checks of the evaluation dimensions find no
    `metrics.computed` evidence and report ERROR.
    """
    options = options or EvaluationOptions()
    started = time.perf_counter()
    now = options.clock()
    specs = require_selection(profile, catalogue.checks)
    results = run_checks(specs, snapshot, profile, options)
    return assemble_report(
        snapshot,
        profile,
        catalogue,
        results,
        specs=specs,
        now=now,
        started=started,
        gate=options.gate,
        timings=options.timings,
        metrics=options.metrics,
        extras=options.extras,
    )


def evaluate(
    snapshot: EvidenceSnapshot,
    profile: Profile,
    catalogue: Catalogue,
    options: EvaluationOptions | None = None,
) -> Report:
    """Deprecated alias of `check_snapshot` (the CLI's `crmsec evaluate` runs `assess`, not this)."""
    warnings.warn(
        "crmsec.evaluate is deprecated: use crmsec.check_snapshot (checks only) or crmsec.assess "
        "(what `crmsec evaluate` runs)",
        DeprecationWarning,
        stacklevel=2,
    )
    return check_snapshot(snapshot, profile, catalogue, options)


def add_items(snapshot: EvidenceSnapshot, items: Mapping[str, EvidenceItem]) -> EvidenceSnapshot:
    """The snapshot with extra items (input files), so they are hashed and signed with the rest."""
    return snapshot.with_items(items)


def assess(
    snapshot: EvidenceSnapshot,
    profile: Profile,
    catalogue: Catalogue,
    options: EvaluationOptions | None = None,
    *,
    inputs: Path | None = None,
) -> tuple[EvidenceSnapshot, Report]:
    """What `crmsec scan` and `crmsec evaluate` do after collection: the complete evaluation of a snapshot.

    Adds the evaluation input files of `inputs` (or keeps those already in the snapshot) and the computed
    metrics as evidence, evaluates, and attaches the improvement recommendations. Returns the snapshot the
    report was computed from (save that one: the report's evidence sha256 names it) and the report.
    """
    options = options or EvaluationOptions()
    prepared, metrics, extras = evaluation.prepare(snapshot, inputs)
    options = replace(options, metrics={**metrics, **options.metrics}, extras={**extras, **options.extras})
    report = check_snapshot(prepared, profile, catalogue, options)
    return prepared, evaluation.with_recommendations(report)
