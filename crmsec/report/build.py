"""Assemble a schema-checked `Report` from findings, the scorecard, the profile and the snapshot."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from crmsec.evidence import EvidenceSnapshot
from crmsec.plugin import CheckSpec, JsonValue, Severity, Status
from crmsec.profiles import Profile
from crmsec.report.model import FindingRecord, Report, validate_report
from crmsec.report.verdict import graded
from crmsec.scoring import Scorecard, WaiverOutcome
from crmsec.version import __version__


def fingerprint(check_id: str, resource: str) -> str:
    """A stable identity for a finding across runs: sha256 of check id and resource (first 32 hex)."""
    return hashlib.sha256(f"{check_id}\0{resource}".encode()).hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class GateOptions:
    """How the run gates a pipeline: score floor, severity ceiling, and an optional baseline."""

    fail_under: float | None = None
    fail_on: Severity | None = None
    baseline_fingerprints: frozenset[str] | None = None
    baseline_name: str | None = None


@dataclass(frozen=True, slots=True)
class BuildInputs:
    """Everything the report is built from, apart from the findings and the scorecard."""

    snapshot: EvidenceSnapshot
    profile: Profile
    checks: Sequence[CheckSpec]
    generated_at: str
    plugins: Sequence[Mapping[str, JsonValue]] = ()
    errors: Sequence[str] = ()
    timings: Mapping[str, float] = field(default_factory=dict)
    metrics: Mapping[str, Mapping[str, JsonValue]] = field(default_factory=dict)
    extras: Mapping[str, JsonValue] = field(default_factory=dict)


def gate_result(
    findings: Sequence[FindingRecord], card: Scorecard, options: GateOptions, profile: Profile
) -> dict[str, JsonValue]:
    """Decide the gate: the score floor, FAILs (and ERRORs when fail-closed) at or above a severity."""
    fail_under = options.fail_under if options.fail_under is not None else profile.fail_under
    fail_on = options.fail_on if options.fail_on is not None else profile.fail_on
    fail_under_from = _source(options.fail_under, profile.fail_under)
    fail_on_from = _source(options.fail_on, profile.fail_on)
    reasons: list[str] = []
    culprits: list[str] = []
    if fail_under is not None and (card.overall is None or card.overall < fail_under):
        reasons.append(f"score {card.overall} is under {fail_under}")
    if fail_on is not None:
        failing = {Status.FAIL, Status.ERROR} if profile.fail_closed else {Status.FAIL}
        for finding in findings:
            if finding.status not in failing or finding.severity.rank < fail_on.rank:
                continue
            if options.baseline_fingerprints is not None and finding.fingerprint in options.baseline_fingerprints:
                continue
            reasons.append(f"{finding.status} {finding.check_id} ({finding.severity}) on {finding.resource}")
            culprits.append(finding.fingerprint)
    return {
        "passed": not reasons,
        "reasons": reasons[:50] + ([f"... and {len(reasons) - 50} more"] if len(reasons) > 50 else []),
        "fail_under": fail_under,
        "fail_on": None if fail_on is None else str(fail_on),
        "baseline": options.baseline_name,
        "fail_under_from": fail_under_from,
        "fail_on_from": fail_on_from,
        "failing": sorted(set(culprits)),
    }


def _source(option: object | None, profile_value: object | None) -> str | None:
    """Where a gate setting came from: "cli" (the command line wins), "profile", or None when unset."""
    if option is not None:
        return "cli"
    return "profile" if profile_value is not None else None


def coverage(findings: Sequence[FindingRecord], checks: Sequence[CheckSpec]) -> dict[str, JsonValue]:
    """How many selected checks could decide, and how many were not applicable, manual or errored."""
    statuses: dict[str, set[Status]] = {spec.id: set() for spec in checks}
    for finding in findings:
        if finding.check_id in statuses:
            statuses[finding.check_id].add(finding.original_status or finding.status)
    errored = sum(1 for found in statuses.values() if Status.ERROR in found)
    not_applicable = sum(1 for found in statuses.values() if found == {Status.NOT_APPLICABLE})
    manual = sum(
        1
        for found in statuses.values()
        if found and found <= {Status.MANUAL, Status.NOT_APPLICABLE} and Status.MANUAL in found
    )
    decided = sum(
        1 for found in statuses.values()
        if found & {Status.PASS, Status.FAIL, Status.WARN} and Status.ERROR not in found
    )  # fmt: skip
    applicable = len(statuses) - not_applicable
    return {
        "selected": len(statuses),
        "decided": decided,
        "not_applicable": not_applicable,
        "manual": manual,
        "errored": errored,
        "ratio": round(decided / applicable, 4) if applicable else None,
    }


def waivers_json(outcome: WaiverOutcome) -> dict[str, JsonValue]:
    """The waivers section: applied (with the finding they covered), expired, unused."""
    return {
        "applied": [
            {**waiver.to_json(), "finding": {"check_id": check_id, "resource": resource}}
            for waiver, check_id, resource in outcome.applied
        ],
        "expired": [waiver.to_json() for waiver in outcome.expired],
        "unused": [waiver.to_json() for waiver in outcome.unused],
    }


ORG_FIELDS = ("id", "name", "instance", "is_sandbox")


def organization(snapshot: EvidenceSnapshot) -> dict[str, JsonValue]:
    """The org's id, name, instance and sandbox flag from evidence `org.info` (None where not collected)."""
    item = snapshot.items.get("org.info")
    value = item.value if item is not None and item.error is None else None
    info = value if isinstance(value, dict) else {}
    return {name: info.get(name) if isinstance(info.get(name), str | bool) else None for name in ORG_FIELDS}


def build_report(
    inputs: BuildInputs,
    findings: Sequence[FindingRecord],
    card: Scorecard,
    waivers: WaiverOutcome,
    gate_options: GateOptions,
) -> Report:
    """Assemble the report and validate it against report.schema.json before anyone can write it."""
    snapshot = inputs.snapshot
    profile = inputs.profile
    errors_in_evidence = sum(1 for item in snapshot.items.values() if item.error is not None)
    checks_covered = coverage(findings, inputs.checks)
    card = replace(card, grade=graded(card.grade, checks_covered))  # the caveat travels with the grade
    report = Report(
        tool_version=__version__,
        target={"platform": snapshot.metadata.platform, "url": snapshot.metadata.target_url},
        profile={"name": profile.name, "sha256": profile.sha256, "sources": list(profile.sources)},
        evidence={
            "sha256": snapshot.sha256,
            "collected_at": snapshot.metadata.collected_at,
            "api_calls": snapshot.metadata.api_calls,
            "items": len(snapshot.items),
            "errors": errors_in_evidence,
            "connector": f"{snapshot.metadata.connector} {snapshot.metadata.connector_version}",
            "notes": list(snapshot.metadata.notes),
            "identities": str(snapshot.metadata.identities),
            "file_sha256": hashlib.sha256(snapshot.to_bytes()).hexdigest(),
            "org": organization(snapshot),
        },
        generated_at=inputs.generated_at,
        checks=tuple(spec.metadata() for spec in inputs.checks),
        findings=tuple(findings),
        scores=card,
        gate=gate_result(findings, card, gate_options, profile),
        coverage=checks_covered,
        waivers=waivers_json(waivers),
        plugins=tuple(inputs.plugins),
        errors=tuple(inputs.errors),
        timings=dict(inputs.timings),
        metrics=dict(inputs.metrics),
        extras=dict(inputs.extras),
    )
    validate_report(report.to_json(), where="report.json (being built)")
    return report
