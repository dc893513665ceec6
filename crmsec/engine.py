"""Collect, evaluate, scan: the pipeline from target to report.

`collect` talks to the target through a connector and returns a snapshot. `evaluate` runs the profile's
checks over a snapshot (offline), applies waivers, scores and builds the report. Evidence guards live here:
a check never sees a missing key (ERROR evidence_missing), a failed key (ERROR with the connector's reason)
or an unsupported one (NOT_APPLICABLE). A check that raises or runs too long becomes an ERROR finding.
"""

from __future__ import annotations

import datetime as dt
import json
import queue
import threading
import time
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from crmsec import evaluation
from crmsec.connectors import load_connector
from crmsec.connectors.base import HttpClient, Recorder
from crmsec.errors import EvidenceError, ProfileError, Reason, TargetError
from crmsec.evidence import EvidenceItem, EvidenceSnapshot, timestamp, utc_now, validate_snapshot
from crmsec.plugin import (
    CHECK_STATUSES,
    FAILING_STATUSES,
    CheckSpec,
    Dimension,
    Evidence,
    Finding,
    JsonValue,
    Severity,
    Status,
)
from crmsec.profiles import Profile, Waiver, select_checks
from crmsec.redaction import Identities
from crmsec.registry import Catalogue, PackInfo
from crmsec.report.build import BuildInputs, GateOptions, build_report, fingerprint
from crmsec.report.model import EvidenceRef, FindingRecord, Report
from crmsec.scoring import score, summarize_waivers, waiver_for
from crmsec.spelling import ID_CUTOFF, did_you_mean
from crmsec.target import Target

DEFAULT_CHECK_TIMEOUT = 30.0
Clock = Callable[[], dt.datetime]


class Observer(Protocol):
    """Receives progress: `stage` names the step, `done`/`total` count checks or requests."""

    def __call__(self, stage: str, done: int, total: int) -> None: ...


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


def _evidence_guard(spec: CheckSpec, snapshot: EvidenceSnapshot) -> Finding | None:
    """A finding that replaces running the check when its evidence is absent, failed or unsupported."""
    platform = snapshot.metadata.platform
    if spec.platforms and platform not in spec.platforms:
        return Finding(Status.NOT_APPLICABLE, "organization", f"not a check for platform {platform}",
                       reason=Reason.NOT_SUPPORTED)  # fmt: skip
    for key in spec.requires:
        item = snapshot.items.get(key)
        if item is None:
            return Finding(Status.ERROR, "organization", f"evidence {key} was not collected",
                           reason=Reason.EVIDENCE_MISSING)  # fmt: skip
        if item.error is not None and item.error.reason is Reason.NOT_SUPPORTED:
            return Finding(Status.NOT_APPLICABLE, "organization", f"{key}: {item.error.message}",
                           reason=Reason.NOT_SUPPORTED)  # fmt: skip
        if item.error is not None:
            return Finding(Status.ERROR, "organization", f"{key}: {item.error.message}", reason=item.error.reason)
    for key in spec.optional:
        # An optional key that was never collected, or that the platform lacks, reads as absent. One whose
        # collection failed is unknown: reading it as absent could turn a FAIL into a better verdict.
        item = snapshot.items.get(key)
        if item is not None and item.error is not None and item.error.reason is not Reason.NOT_SUPPORTED:
            message = f"{key} could not be collected ({item.error.message}), so the check cannot decide"
            return Finding(Status.ERROR, "organization", message, reason=item.error.reason)
    return None


class _Runner:
    """Runs checks one at a time in a daemon worker thread, so a hung check can be abandoned after its timeout.

    An abandoned thread keeps running until the process exits but never blocks that exit (it is a daemon,
    unlike a ThreadPoolExecutor's workers, which the interpreter joins at exit).
    """

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self._jobs: queue.Queue[Callable[[], list[Finding]] | None] = queue.Queue()
        self._results: queue.Queue[tuple[bool, Any]] = queue.Queue()
        self._start()

    def _start(self) -> None:
        self._jobs, self._results = queue.Queue(), queue.Queue()
        worker = threading.Thread(target=_work, args=(self._jobs, self._results), daemon=True, name="crmsec-check")
        worker.start()

    def run(self, spec: CheckSpec, evidence: Evidence, params: Mapping[str, JsonValue]) -> list[Finding]:
        self._jobs.put(lambda: list(spec.function(evidence, **params)))
        try:
            succeeded, value = self._results.get(timeout=self.timeout)
        except queue.Empty:
            self._start()  # leave the hung thread behind with its own queues
            return [Finding(Status.ERROR, "organization", f"the check ran longer than {self.timeout:g} s",
                            reason=Reason.CHECK_TIMEOUT)]  # fmt: skip
        if succeeded:
            return _validated(value)
        if isinstance(value, EvidenceError):
            return [Finding(Status.ERROR, "organization", str(value), reason=Reason.EVIDENCE_UNUSABLE)]
        return [Finding(Status.ERROR, "organization", f"the check crashed: {type(value).__name__}",
                        reason=Reason.CHECK_CRASHED)]  # fmt: skip

    def close(self) -> None:
        self._jobs.put(None)


def _work(jobs: queue.Queue[Callable[[], list[Finding]] | None], results: queue.Queue[tuple[bool, Any]]) -> None:
    """The worker loop: run each job and hand back its result or the exception it raised."""
    while (job := jobs.get()) is not None:
        try:
            results.put((True, job()))
        except BaseException as error:  # noqa: BLE001 -- boundary: a broken check (even sys.exit) must not stop the scan
            results.put((False, error))


def _validated(findings: Sequence[Any]) -> list[Finding]:
    if not findings:
        return [Finding(Status.ERROR, "organization", "the check returned nothing", reason=Reason.NO_FINDINGS)]
    for finding in findings:
        if not isinstance(finding, Finding) or finding.status not in CHECK_STATUSES:
            shown = finding.status if isinstance(finding, Finding) else type(finding).__name__
            return [Finding(Status.ERROR, "organization", f"the check returned an invalid result ({shown})",
                            reason=Reason.CHECK_CRASHED)]  # fmt: skip
    return list(findings)


def run_checks(
    specs: Sequence[CheckSpec], snapshot: EvidenceSnapshot, profile: Profile, options: EvaluationOptions
) -> list[tuple[CheckSpec, Finding]]:
    """Run each check over the snapshot with the profile's parameters; never raises for a check's fault."""
    values = snapshot.values()
    runner = _Runner(options.check_timeout)
    results: list[tuple[CheckSpec, Finding]] = []
    try:
        for index, spec in enumerate(specs, start=1):
            options.observer("checks", index, len(specs))
            guard = _evidence_guard(spec, snapshot)
            if guard is not None:
                results.append((spec, guard))
                continue
            declared = (*spec.requires, *spec.optional)
            present = [key for key in declared if key in values]
            times = {key: snapshot.items[key].collected_at for key in present}
            given = {key: values[key] for key in present}
            if not spec.origin.startswith("builtin"):
                given = _private_copy(given)
            evidence = Evidence(given, declared, times)
            params = profile.parameters_for(spec)
            results.extend((spec, finding) for finding in runner.run(spec, evidence, params))
    finally:
        runner.close()
    return results


def _private_copy(values: dict[str, JsonValue]) -> dict[str, JsonValue]:
    """A deep copy for checks from outside packs, so a check that mutates its input cannot change the evidence
    other checks see or the snapshot that is saved and signed. Built-in checks are pure by review and tests."""
    copied: dict[str, JsonValue] = json.loads(json.dumps(values))
    return copied


def record_finding(spec: CheckSpec, finding: Finding, snapshot: EvidenceSnapshot) -> FindingRecord:
    """A check's finding as reported: with the check's id and metadata and its evidence references."""
    references = tuple(
        EvidenceRef(key, snapshot.items[key].sha256)
        for key in (*spec.requires, *spec.optional)
        if key in snapshot.items
    )
    return FindingRecord(
        check_id=spec.id,
        slug=spec.slug,
        title=spec.title,
        dimension=spec.dimension,
        severity=spec.severity,
        status=finding.status,
        resource=finding.resource,
        message=finding.message,
        details=dict(finding.details),
        reason=finding.reason,
        evidence=references,
        fingerprint=fingerprint(spec.id, finding.resource),
    )


def _plugin_findings(catalogue: Catalogue) -> list[FindingRecord]:
    return [
        FindingRecord(
            check_id=problem.pack if problem.pack.startswith("plugin:") else f"plugin:{problem.pack}",
            title="Check pack failed to load",
            dimension=None,
            severity=Severity.HIGH,
            status=Status.ERROR,
            resource=problem.pack,
            message=problem.message,
            reason=Reason.PLUGIN_LOAD_FAILED,
            fingerprint=fingerprint("plugin", problem.pack),
        )
        for problem in catalogue.problems
    ]


def _apply_waivers(
    records: Iterable[FindingRecord], profile: Profile, today: dt.date
) -> tuple[list[FindingRecord], list[tuple[Waiver, str, str]]]:
    waived: list[FindingRecord] = []
    applied: list[tuple[Waiver, str, str]] = []
    for record in records:
        waiver = None
        if record.status in FAILING_STATUSES:
            waiver = waiver_for(record.check_id, record.resource, profile.waivers, today)
        if waiver is None:
            waived.append(record)
            continue
        applied.append((waiver, record.check_id, record.resource))
        waived.append(replace(record, status=Status.WAIVED, original_status=record.status, waiver=waiver.to_json()))
    return waived, applied


def evaluate(
    snapshot: EvidenceSnapshot,
    profile: Profile,
    catalogue: Catalogue,
    options: EvaluationOptions | None = None,
) -> Report:
    """Run the profile's checks over the snapshot, apply waivers, score, gate and build the report.

    This is the core over a snapshot taken as it is; `assess` is the complete evaluation that `crmsec scan`
    and `crmsec evaluate` run (evaluation inputs, metrics, recommendations). Without `assess`, checks of the
    evaluation dimensions find no `metrics.computed` evidence and report ERROR.
    """
    options = options or EvaluationOptions()
    started = time.perf_counter()
    now = options.clock()
    specs = select_checks(profile, catalogue.checks.values())
    if not specs:
        unknown = "; ".join(profile.unknown_ids(catalogue.checks))
        raise ProfileError(
            f"profile {profile.name} selects no check" + (f": {unknown}" if unknown else ""),
            hint="check its select: ids, dimensions, ...",
        )
    results = run_checks(specs, snapshot, profile, options)
    records = sorted(
        [record_finding(spec, finding, snapshot) for spec, finding in results] + _plugin_findings(catalogue),
        key=lambda record: (record.check_id, record.resource, record.message),
    )
    baseline = options.gate.baseline_fingerprints
    if baseline is not None:
        records = [replace(r, new=r.fingerprint not in baseline) for r in records]
    records, applied = _apply_waivers(records, profile, now.date())
    per_dimension = Counter(spec.dimension for spec in specs)
    card = score(records, profile, checks_per_dimension=dict[Dimension, int](per_dimension))
    outcome = summarize_waivers(applied, profile.waivers, now.date())
    timings = {**options.timings, "evaluate_seconds": round(time.perf_counter() - started, 3)}
    inputs = BuildInputs(
        snapshot=snapshot,
        profile=profile,
        checks=specs,
        generated_at=timestamp(now),
        plugins=[_pack_json(pack) for pack in catalogue.packs],
        errors=[f"{problem.pack}: {problem.message}" for problem in catalogue.problems]
        + _unused_parameters(profile, specs, catalogue.checks)
        + [
            f"{key}: {item.error.reason}: {item.error.message}"
            for key, item in sorted(snapshot.items.items())
            if item.error is not None and item.error.reason is not Reason.NOT_SUPPORTED
        ],
        timings=timings,
        metrics=options.metrics,
        extras=options.extras,
    )
    return build_report(inputs, records, card, outcome, options.gate)


def _unused_parameters(profile: Profile, specs: Sequence[CheckSpec], known: Collection[str]) -> list[str]:
    """Profile parameters no selected check declares and check ids no check has: likely typos, reported
    (with a did-you-mean) instead of silently ignored."""
    declared = {name for spec in specs for name in spec.params}
    selected = {spec.id for spec in specs}
    problems = [
        f"profile {profile.name}: parameter {name} is used by no selected check{did_you_mean(name, declared)}"
        for name in sorted(profile.parameters)
        if name not in declared
    ]
    problems += [f"profile {profile.name}: {problem}" for problem in profile.unknown_ids(known)]
    problems += [
        f"profile {profile.name}: select.ids names {check_id}, which the profile's other select rules leave out"
        for check_id in profile.select.get("ids", ())
        if check_id in known and check_id not in selected
    ]
    problems += [
        f"profile {profile.name}: check_parameters names {check_id}, which is not selected"
        f"{did_you_mean(check_id, selected, cutoff=ID_CUTOFF)}"
        for check_id in sorted(profile.check_parameters)
        if check_id not in selected
    ]
    return problems


def _pack_json(pack: PackInfo) -> dict[str, JsonValue]:
    return {key: list(value) if isinstance(value, tuple) else value for key, value in asdict(pack).items()}


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
    """What `crmsec scan` and `evaluate` do after collection: the complete evaluation of a snapshot.

    Adds the evaluation input files of `inputs` (or keeps those already in the snapshot) and the computed
    metrics as evidence, evaluates, and attaches the improvement recommendations. Returns the snapshot the
    report was computed from (save that one: the report's evidence sha256 names it) and the report.
    """
    options = options or EvaluationOptions()
    prepared, metrics, extras = evaluation.prepare(snapshot, inputs)
    options = replace(options, metrics={**metrics, **options.metrics}, extras={**extras, **options.extras})
    report = evaluate(prepared, profile, catalogue, options)
    return prepared, evaluation.with_recommendations(report)
