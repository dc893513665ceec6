"""Merge per-org bundles into one fleet report: per-target scores, worst dimensions, checks failing in many orgs.

`find_records` walks the folders given to `crmsec merge` (a shard's output folder, or one org's folder) for
`fleet-target.json` records. `build_fleet` loads each scanned org's report.json (schema-checked, and its
sha256 must be the one the record names, so a stale or edited report is refused), judges every org under
the merge's gate and the fleet as a whole, and returns the fleet report document, validated against
`fleet_report.schema.json`. The document is deterministic for the same reports: targets sorted by name,
dimensions worst first, checks by how many orgs they fail in; only `generated_at` and the digests of the
per-org files change between two scans of unchanged orgs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crmsec import documents
from crmsec.canonical import sha256_hex
from crmsec.errors import InputError, ReportFileError
from crmsec.files import read_regular
from crmsec.fleet.runner import FAILED, RECORD_NAME, RECORD_SCHEMA, SCANNED
from crmsec.plugin import Severity, Status
from crmsec.report.model import Report, validate_report
from crmsec.version import __version__

SCHEMA_NAME = "fleet_report"
SCHEMA_VERSION = "1"
MISSING = "missing"
MAX_RECORD_BYTES = 1024 * 1024
MAX_REPORT_BYTES = 512 * 1024 * 1024
FAILING = (Status.FAIL, Status.ERROR)
"""What fails an org under --fail-on: FAIL, and ERROR too (fail-closed: evidence that could not be
collected, e.g. over the API budget, never passes)."""


class FleetMergeError(InputError):
    """The folders given to `crmsec merge` do not make one fleet (duplicates, stale reports, unknown orgs)."""

    hint = "pass the --out folders of `crmsec scan --targets` (one per shard), each once"


@dataclass(frozen=True, slots=True)
class FleetGate:
    """The merge's gate: a score floor and a severity ceiling, per org and for the fleet."""

    fail_under: float | None = None
    fail_on: Severity | None = None


@dataclass(frozen=True, slots=True)
class OrgResult:
    """One org as merged: its record, and its report when it was scanned."""

    record: Mapping[str, Any]
    folder: Path
    report: Report | None


def find_records(folders: Sequence[Path]) -> list[Path]:
    """The fleet-target.json files in `folders` (each folder, or its direct subfolders); sorted, unique."""
    found: list[Path] = []
    for folder in folders:
        if not folder.is_dir():
            raise FleetMergeError(f"{folder}: not a folder")
        direct = folder / RECORD_NAME
        if direct.is_file():
            found.append(direct)
            continue
        inside = sorted(child / RECORD_NAME for child in folder.iterdir() if (child / RECORD_NAME).is_file())
        if not inside:
            raise FleetMergeError(f"{folder}: holds no {RECORD_NAME} (not an output folder of scan --targets)")
        found.extend(inside)
    resolved = [path.resolve() for path in found]
    if len(set(resolved)) != len(resolved):
        raise FleetMergeError("the same org folder was given twice")
    return found


def load_results(records: Iterable[Path]) -> list[OrgResult]:
    """Load every record and (for scanned orgs) its report, checking the report's sha256 against the record."""
    results: dict[str, OrgResult] = {}
    for path in records:
        record = documents.read_json(path, FleetMergeError, max_bytes=MAX_RECORD_BYTES)
        documents.validate(record, RECORD_SCHEMA, where=str(path), error=FleetMergeError)
        name = record["name"]
        if name in results:
            raise FleetMergeError(f"{path}: org {name} also in {results[name].folder} (two shards scanned it?)")
        if path.parent.name != name:
            raise FleetMergeError(f"{path}: names org {name} but sits in folder {path.parent.name}")
        report = _report(path.parent, record) if record["status"] == SCANNED else None
        results[name] = OrgResult(record=record, folder=path.parent, report=report)
    counts = sorted({str(result.record["shard"]).partition("/")[2] for result in results.values()})
    if len(counts) > 1:
        raise FleetMergeError(f"the folders mix shard counts ({', '.join('/' + count for count in counts)})")
    return [results[name] for name in sorted(results)]


def _report(folder: Path, record: Mapping[str, Any]) -> Report:
    path = folder / "report.json"
    data = read_regular(path, limit=MAX_REPORT_BYTES, error=ReportFileError)
    if sha256_hex(data) != record["report_sha256"]:
        raise FleetMergeError(f"{path}: sha256 differs from the one in {RECORD_NAME} (changed after the scan?)")
    evidence = folder / "evidence.json"
    evidence_bytes = read_regular(evidence, limit=MAX_REPORT_BYTES, error=ReportFileError)
    if sha256_hex(evidence_bytes) != record["evidence_sha256"]:
        raise FleetMergeError(f"{evidence}: sha256 differs from the one in {RECORD_NAME} (changed after the scan?)")
    document = documents.parse_json(data)
    validate_report(document, where=str(path))
    return Report.from_json(document)


def missing_results(results: Sequence[OrgResult], expected: Sequence[str]) -> list[OrgResult]:
    """Placeholder results for orgs of the targets file that no folder holds (they fail the gate)."""
    known = {result.record["name"] for result in results}
    unknown = sorted(known - set(expected))
    if unknown:
        raise FleetMergeError(f"org {unknown[0]} is not in the targets file ({len(unknown)} such orgs)")
    return [
        OrgResult(record={"name": name, "status": MISSING, "tags": []}, folder=Path(name), report=None)
        for name in sorted(set(expected) - known)
    ]


def build_fleet(results: Sequence[OrgResult], gate: FleetGate, *, generated_at: str) -> dict[str, Any]:
    """The fleet report document (validated against fleet_report.schema.json)."""
    if not results:
        raise FleetMergeError("no org to merge")
    ordered = sorted(results, key=lambda result: result.record["name"])
    targets = [_target_entry(result, gate) for result in ordered]
    scores = [entry["score"] for entry in targets if entry["score"] is not None]
    mean = round(sum(scores) / len(scores), 2) if scores else None
    failing_targets = [entry["name"] for entry in targets if not entry["gate"]["passed"]]
    reasons = [
        f"{entry['name']}: {'; '.join(entry['gate']['reasons'])}" for entry in targets if not entry["gate"]["passed"]
    ]
    if gate.fail_under is not None and (mean is None or mean < gate.fail_under):
        reasons.insert(0, f"fleet mean score {mean} is under {gate.fail_under}")
    document: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "kind": "crmsec-fleet-report",
        "tool": {"name": "crmsec", "version": __version__},
        "generated_at": generated_at,
        "summary": {
            "targets": len(targets),
            "scanned": sum(1 for entry in targets if entry["status"] == SCANNED),
            "failed": sum(1 for entry in targets if entry["status"] == FAILED),
            "missing": sum(1 for entry in targets if entry["status"] == MISSING),
            "mean_score": mean,
            "min_score": min(scores) if scores else None,
            "max_score": max(scores) if scores else None,
            "targets_passed": len(targets) - len(failing_targets),
            "targets_failed": len(failing_targets),
        },
        "gate": {
            "passed": not reasons,
            "fail_under": gate.fail_under,
            "fail_on": None if gate.fail_on is None else str(gate.fail_on),
            "failing_targets": failing_targets,
            "reasons": reasons[:50] + ([f"... and {len(reasons) - 50} more"] if len(reasons) > 50 else []),
        },
        "targets": targets,
        "dimensions": _dimensions(ordered),
        "checks": _checks(ordered),
        "tags": _tags(targets),
    }
    documents.validate(document, SCHEMA_NAME, where="fleet.json (being built)", error=InputError)
    return document


def _target_entry(result: OrgResult, gate: FleetGate) -> dict[str, Any]:
    record, report = result.record, result.report
    entry: dict[str, Any] = {
        "name": record["name"],
        "status": record["status"],
        "platform": record.get("platform"),
        "url": record.get("url"),
        "profile": record.get("profile"),
        "tags": list(record.get("tags", [])),
        "shard": record.get("shard"),
        "error": record.get("error"),
        "reason": record.get("reason"),
        "requests": record.get("requests"),
        "score": None,
        "grade": None,
        "coverage": None,
        "counts": {},
        "report_sha256": record.get("report_sha256"),
        "evidence_sha256": record.get("evidence_sha256"),
    }
    if report is None:
        why = "not scanned: " + (record.get("error") or "no folder") if record["status"] != MISSING else "missing"
        entry["gate"] = {"passed": False, "reasons": [why]}
        return entry
    counts: dict[str, int] = defaultdict(int)
    for finding in report.findings:
        counts[str(finding.status)] += 1
    entry.update(
        score=report.scores.overall,
        grade=report.scores.grade,
        coverage=report.coverage.get("ratio"),
        counts=dict(sorted(counts.items())),
        profile=report.profile.get("name"),
    )
    entry["gate"] = _org_gate(report, gate)
    return entry


def _org_gate(report: Report, gate: FleetGate) -> dict[str, Any]:
    reasons: list[str] = []
    score = report.scores.overall
    if gate.fail_under is not None and (score is None or score < gate.fail_under):
        reasons.append(f"score {score} is under {gate.fail_under}")
    if gate.fail_on is not None:
        hits = [
            finding
            for finding in report.findings
            if finding.status in FAILING and finding.severity.rank >= gate.fail_on.rank
        ]
        if hits:
            first = hits[0]
            reasons.append(
                f"{len(hits)} FAIL/ERROR at or above {gate.fail_on} (first: {first.status} {first.check_id})"
            )
    return {"passed": not reasons, "reasons": reasons}


def _tags(targets: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Per tag (production, a region, a subsidiary...): its orgs, their mean and lowest score, those failing."""
    by_tag: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for target in targets:
        for tag in target["tags"]:
            by_tag[tag].append(target)
    rows = []
    for tag in sorted(by_tag):
        members = by_tag[tag]
        scores = [member["score"] for member in members if member["score"] is not None]
        rows.append(
            {
                "tag": tag,
                "targets": len(members),
                "mean_score": round(sum(scores) / len(scores), 2) if scores else None,
                "min_score": min(scores) if scores else None,
                "failing_targets": [member["name"] for member in members if not member["gate"]["passed"]],
            }
        )
    return rows


def _dimensions(results: Sequence[OrgResult]) -> list[dict[str, Any]]:
    """Per dimension across the fleet: mean and lowest score, the lowest org; worst mean first."""
    by_dimension: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for result in results:
        if result.report is None:
            continue
        for dimension in result.report.scores.dimensions:
            if dimension.score is not None:
                by_dimension[str(dimension.dimension)].append((dimension.score, result.record["name"]))
    rows = []
    for name, scored in by_dimension.items():
        lowest = min(scored)
        rows.append(
            {
                "dimension": name,
                "mean_score": round(sum(score for score, _ in scored) / len(scored), 2),
                "min_score": lowest[0],
                "worst_target": lowest[1],
                "targets": len(scored),
            }
        )
    return sorted(rows, key=lambda row: (row["mean_score"], row["min_score"], row["dimension"]))


def _checks(results: Sequence[OrgResult]) -> list[dict[str, Any]]:
    """Per check: the orgs where it fails, errs or warns; the check failing in most orgs first."""
    rows: dict[str, dict[str, Any]] = {}
    for result in results:
        if result.report is None:
            continue
        name = result.record["name"]
        statuses: dict[str, set[str]] = defaultdict(set)
        for finding in result.report.findings:
            statuses[finding.check_id].add(str(finding.status))
            row = rows.setdefault(finding.check_id, _check_row(finding.check_id, result.report))
            row["evaluated_in"].add(name)
        for check_id, found in statuses.items():
            worst = next((status for status in ("FAIL", "ERROR", "WARN") if status in found), None)
            if worst is not None:
                rows[check_id][worst.lower()].append(name)
    entries = []
    for row in rows.values():
        evaluated = row.pop("evaluated_in")
        entries.append({**row, "targets_evaluated": len(evaluated), "failing": len(row["fail"])})
    entries = [entry for entry in entries if entry["fail"] or entry["error"] or entry["warn"]]
    return sorted(
        entries,
        key=lambda entry: (
            -entry["failing"],
            -len(entry["error"]),
            -Severity(entry["severity"]).rank,
            entry["check_id"],
        ),
    )


def _check_row(check_id: str, report: Report) -> dict[str, Any]:
    metadata = report.check(check_id) or {}
    finding = next(finding for finding in report.findings if finding.check_id == check_id)
    return {
        "check_id": check_id,
        "slug": finding.slug,
        "title": finding.title,
        "severity": str(finding.severity),
        "dimension": None if finding.dimension is None else str(finding.dimension),
        "fail": [],
        "error": [],
        "warn": [],
        "evaluated_in": set(),
        "remediation": metadata.get("remediation") if isinstance(metadata.get("remediation"), str) else None,
    }
