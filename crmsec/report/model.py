"""report.json as frozen dataclasses: the single source of truth every renderer and signer reads.

`Report.from_json(report.to_json()) == report`, and `to_bytes()` is stable (sorted keys), so two
evaluations of the same inputs give byte-identical files apart from timestamps and timings.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crmsec import documents
from crmsec.errors import Reason, ReportFileError
from crmsec.scoring import DimensionScore, PointsLost, Scorecard
from crmsec.vocabulary import Dimension, JsonValue, Severity, Status

SCHEMA_VERSION = "1"


@dataclass(frozen=True, slots=True)
class EvidenceRef:
    """The evidence item a finding rests on: key and the sha256 of its value."""

    key: str
    sha256: str


@dataclass(frozen=True, slots=True)
class FindingRecord:
    """A finding as reported: the check's verdict plus id, metadata and evidence references."""

    check_id: str
    title: str
    dimension: Dimension | None
    severity: Severity
    status: Status
    resource: str
    message: str
    fingerprint: str
    slug: str = ""
    details: Mapping[str, JsonValue] = field(default_factory=dict)
    reason: Reason | None = None
    evidence: tuple[EvidenceRef, ...] = ()
    original_status: Status | None = None
    waiver: Mapping[str, JsonValue] | None = None
    new: bool | None = None

    def to_json(self) -> dict[str, JsonValue]:
        """JSON form."""
        return {
            "check_id": self.check_id,
            "slug": self.slug,
            "title": self.title,
            "dimension": None if self.dimension is None else str(self.dimension),
            "severity": str(self.severity),
            "status": str(self.status),
            "original_status": None if self.original_status is None else str(self.original_status),
            "resource": self.resource,
            "message": self.message,
            "details": dict(self.details),
            "reason": None if self.reason is None else str(self.reason),
            "evidence": [{"key": ref.key, "sha256": ref.sha256} for ref in self.evidence],
            "fingerprint": self.fingerprint,
            "waiver": None if self.waiver is None else dict(self.waiver),
            "new": self.new,
        }

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> FindingRecord:
        """Rebuild from JSON form."""
        return cls(
            check_id=raw["check_id"],
            slug=raw.get("slug", ""),
            title=raw["title"],
            dimension=None if raw["dimension"] is None else Dimension(raw["dimension"]),
            severity=Severity(raw["severity"]),
            status=Status(raw["status"]),
            original_status=Status(raw["original_status"]) if raw.get("original_status") else None,
            resource=raw["resource"],
            message=raw["message"],
            details=raw.get("details", {}),
            reason=Reason(raw["reason"]) if raw.get("reason") else None,
            evidence=tuple(EvidenceRef(ref["key"], ref["sha256"]) for ref in raw.get("evidence", [])),
            fingerprint=raw["fingerprint"],
            waiver=raw.get("waiver"),
            new=raw.get("new"),
        )


def _points_from_json(raw: list[Mapping[str, Any]]) -> tuple[PointsLost, ...]:
    return tuple(PointsLost(p["check_id"], p["resource"], Status(p["status"]), p["points"]) for p in raw)


def scorecard_to_json(card: Scorecard) -> dict[str, JsonValue]:
    """JSON form of a scorecard."""
    return {
        "overall": card.overall,
        "grade": card.grade,
        "pass_mark": card.pass_mark,
        "passed": card.passed,
        "grade_capped_by": list(card.grade_capped_by),
        "dimensions": {
            str(d.dimension): {
                "score": d.score,
                "weight": d.weight,
                "checks": d.checks,
                "decided": d.decided,
                "coverage": d.coverage,
                "points_lost": [p.to_json() for p in d.points_lost],
            }
            for d in card.dimensions
        },
        "points_lost": [p.to_json() for p in card.points_lost],
    }


def scorecard_from_json(raw: Mapping[str, Any]) -> Scorecard:
    """Rebuild a scorecard from JSON form."""
    dimensions = tuple(
        DimensionScore(
            dimension=Dimension(name),
            score=value["score"],
            weight=value["weight"],
            checks=value["checks"],
            decided=value["decided"],
            points_lost=_points_from_json(value["points_lost"]),
        )
        for name, value in raw["dimensions"].items()
    )
    return Scorecard(
        overall=raw["overall"],
        grade=raw["grade"],
        pass_mark=raw["pass_mark"],
        passed=raw["passed"],
        grade_capped_by=tuple(raw.get("grade_capped_by", ())),
        dimensions=dimensions,
        points_lost=_points_from_json(raw["points_lost"]),
    )


@dataclass(frozen=True, slots=True)
class Report:
    """Everything one evaluation concluded. Build with `crmsec.report.build`, read with `load_report`."""

    tool_version: str
    target: Mapping[str, JsonValue]
    profile: Mapping[str, JsonValue]
    evidence: Mapping[str, JsonValue]
    generated_at: str
    checks: tuple[Mapping[str, JsonValue], ...]
    findings: tuple[FindingRecord, ...]
    scores: Scorecard
    gate: Mapping[str, JsonValue]
    coverage: Mapping[str, JsonValue]
    waivers: Mapping[str, JsonValue]
    plugins: tuple[Mapping[str, JsonValue], ...] = ()
    errors: tuple[str, ...] = ()
    timings: Mapping[str, float] = field(default_factory=dict)
    metrics: Mapping[str, Mapping[str, JsonValue]] = field(default_factory=dict)
    extras: Mapping[str, JsonValue] = field(default_factory=dict)

    def to_json(self) -> dict[str, JsonValue]:
        """The report.json document."""
        document: dict[str, JsonValue] = {
            "schema_version": SCHEMA_VERSION,
            "tool": {"name": "crmsec", "version": self.tool_version},
            "target": dict(self.target),
            "profile": dict(self.profile),
            "evidence": dict(self.evidence),
            "generated_at": self.generated_at,
            "checks": [dict(check) for check in self.checks],
            "findings": [finding.to_json() for finding in self.findings],
            "scores": scorecard_to_json(self.scores),
            "gate": dict(self.gate),
            "coverage": dict(self.coverage),
            "waivers": dict(self.waivers),
            "plugins": [dict(plugin) for plugin in self.plugins],
            "errors": list(self.errors),
            "timings": dict(self.timings),
            "metrics": {key: dict(value) for key, value in self.metrics.items()},
        }
        document.update(self.extras)
        return document

    def to_bytes(self) -> bytes:
        """The bytes of report.json (sorted keys, stable)."""
        return documents.pretty_bytes(self.to_json())

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> Report:
        """Rebuild a report from its JSON document (validate it first: see `load_report`)."""
        known = {
            "schema_version", "tool", "target", "profile", "evidence", "generated_at", "checks", "findings",
            "scores", "gate", "coverage", "waivers", "plugins", "errors", "timings", "metrics",
        }  # fmt: skip
        return cls(
            tool_version=raw["tool"]["version"],
            target=raw["target"],
            profile=raw["profile"],
            evidence=raw["evidence"],
            generated_at=raw["generated_at"],
            checks=tuple(raw["checks"]),
            findings=tuple(FindingRecord.from_json(item) for item in raw["findings"]),
            scores=scorecard_from_json(raw["scores"]),
            gate=raw["gate"],
            coverage=raw["coverage"],
            waivers=raw["waivers"],
            plugins=tuple(raw["plugins"]),
            errors=tuple(raw["errors"]),
            timings=raw["timings"],
            metrics=raw["metrics"],
            extras={key: value for key, value in raw.items() if key not in known},
        )

    def check(self, check_id: str) -> Mapping[str, JsonValue] | None:
        """The metadata of a check in this report, by id."""
        for metadata in self.checks:
            if metadata["id"] == check_id:
                return metadata
        return None


def validate_report(document: Any, *, where: str = "report") -> None:
    """Validate a report document against report.schema.json; ReportFileError names the JSON pointer."""
    documents.validate(document, "report", where=where, error=ReportFileError)


def load_report(path: Path) -> Report:
    """Load and validate a report.json; ReportFileError names the file and JSON pointer on any problem."""
    document = documents.read_json(path, ReportFileError)
    validate_report(document, where=str(path))
    return Report.from_json(document)
