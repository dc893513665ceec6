"""Report assembly: check results -> finding records -> baseline, waivers, scores, gate -> the report.

Pure over its inputs (no I/O, no checks run here): `crmsec.engine.check_snapshot` runs the checks
(`crmsec.runner`) and hands the results to `assemble_report`.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import asdict, replace

from crmsec.errors import Reason
from crmsec.evidence import EvidenceSnapshot, timestamp
from crmsec.plugin import CheckSpec, Finding
from crmsec.profiles import Profile
from crmsec.registry import Catalogue, PackInfo
from crmsec.report.build import BuildInputs, GateOptions, build_report, fingerprint
from crmsec.report.model import EvidenceRef, FindingRecord, Report
from crmsec.scoring import score, summarize_waivers
from crmsec.spelling import ID_CUTOFF, did_you_mean
from crmsec.vocabulary import Dimension, JsonValue, Severity, Status
from crmsec.waivers import apply_waivers


def assemble_report(
    snapshot: EvidenceSnapshot,
    profile: Profile,
    catalogue: Catalogue,
    results: Sequence[tuple[CheckSpec, Finding]],
    *,
    specs: Sequence[CheckSpec],
    now: dt.datetime,
    started: float,
    gate: GateOptions,
    timings: Mapping[str, float],
    metrics: Mapping[str, Mapping[str, JsonValue]],
    extras: Mapping[str, JsonValue],
) -> Report:
    """The report of `results` (from `crmsec.runner.run_checks`): records, baseline marks, waivers, scores, gate.

    `started` is the `time.perf_counter()` reading when the evaluation began (for `evaluate_seconds`).
    """
    records = sorted(
        [record_finding(spec, finding, snapshot) for spec, finding in results] + plugin_findings(catalogue),
        key=lambda record: (record.check_id, record.resource, record.message),
    )
    baseline = gate.baseline_fingerprints
    if baseline is not None:
        records = [replace(r, new=r.fingerprint not in baseline) for r in records]
    records, applied = apply_waivers(records, profile, now.date())
    per_dimension = Counter(spec.dimension for spec in specs)
    card = score(records, profile, checks_per_dimension=dict[Dimension, int](per_dimension))
    outcome = summarize_waivers(applied, profile.waivers, now.date())
    inputs = BuildInputs(
        snapshot=snapshot,
        profile=profile,
        checks=specs,
        generated_at=timestamp(now),
        plugins=[pack_json(pack) for pack in catalogue.packs],
        errors=[f"{problem.pack}: {problem.message}" for problem in catalogue.problems]
        + unused_parameters(profile, specs, catalogue.checks)
        + [
            f"{key}: {item.error.reason}: {item.error.message}"
            for key, item in sorted(snapshot.items.items())
            if item.error is not None and item.error.reason is not Reason.NOT_SUPPORTED
        ],
        timings={**timings, "evaluate_seconds": round(time.perf_counter() - started, 3)},
        metrics=metrics,
        extras=extras,
    )
    return build_report(inputs, records, card, outcome, gate)


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


def plugin_findings(catalogue: Catalogue) -> list[FindingRecord]:
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


def unused_parameters(profile: Profile, specs: Sequence[CheckSpec], known: Collection[str]) -> list[str]:
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


def pack_json(pack: PackInfo) -> dict[str, JsonValue]:
    return {key: list(value) if isinstance(value, tuple) else value for key, value in asdict(pack).items()}
