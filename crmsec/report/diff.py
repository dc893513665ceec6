"""Compare reports: new, resolved and changed findings (matched by fingerprint), and score movement.

A finding is *failing* when its status (before any waiver) is FAIL, WARN or ERROR. `new` lists findings
failing now that were not failing before; `resolved` those failing before that now pass; `unassessed` those
failing before that the newer report no longer decides (absent, NOT_APPLICABLE or MANUAL: not a fix);
`changed` findings failing in both whose status or severity moved.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from crmsec.report.model import FindingRecord, Report
from crmsec.vocabulary import FAILING_STATUSES, JsonValue, Status

PASSING = frozenset({Status.PASS})


def _effective(finding: FindingRecord | None) -> Status | None:
    return None if finding is None else finding.original_status or finding.status


def _failing(report: Report) -> dict[str, FindingRecord]:
    return {f.fingerprint: f for f in report.findings if _effective(f) in FAILING_STATUSES}


@dataclass(frozen=True, slots=True)
class ReportDiff:
    """What moved between two reports of the same target."""

    new: tuple[FindingRecord, ...]
    resolved: tuple[FindingRecord, ...]
    unassessed: tuple[FindingRecord, ...]
    changed: tuple[tuple[FindingRecord, FindingRecord], ...]
    overall: tuple[float | None, float | None]
    dimensions: dict[str, tuple[float | None, float | None]]

    def to_json(self) -> dict[str, JsonValue]:
        """JSON form for `crmsec diff --format json`."""

        def brief(finding: FindingRecord) -> dict[str, JsonValue]:
            return {
                "check_id": finding.check_id,
                "resource": finding.resource,
                "status": str(_effective(finding)),
                "severity": str(finding.severity),
                "message": finding.message,
                "fingerprint": finding.fingerprint,
            }

        return {
            "new": [brief(f) for f in self.new],
            "resolved": [brief(f) for f in self.resolved],
            "unassessed": [brief(f) for f in self.unassessed],
            "changed": [{"before": brief(old), "after": brief(new)} for old, new in self.changed],
            "overall": {"before": self.overall[0], "after": self.overall[1], "change": _change(*self.overall)},
            "dimensions": {
                name: {"before": before, "after": after, "change": _change(before, after)}
                for name, (before, after) in sorted(self.dimensions.items())
            },
        }


def _change(before: float | None, after: float | None) -> float | None:
    return None if before is None or after is None else round(after - before, 2)


def diff_reports(old: Report, new: Report) -> ReportDiff:
    """The difference between an older and a newer report."""
    before, after = _failing(old), _failing(new)
    everything = {finding.fingerprint: finding for finding in new.findings}
    order = sorted(set(before) | set(after), key=lambda key: ((before.get(key) or after[key]).check_id, key))
    changed = tuple(
        (before[key], after[key])
        for key in order
        if key in before
        and key in after
        and (_effective(before[key]), before[key].severity) != (_effective(after[key]), after[key].severity)
    )
    gone = [key for key in order if key in before and key not in after]
    old_dimensions = {str(d.dimension): d.score for d in old.scores.dimensions}
    new_dimensions = {str(d.dimension): d.score for d in new.scores.dimensions}
    return ReportDiff(
        new=tuple(after[key] for key in order if key in after and key not in before),
        resolved=tuple(before[key] for key in gone if _effective(everything.get(key)) in PASSING),
        unassessed=tuple(before[key] for key in gone if _effective(everything.get(key)) not in PASSING),
        changed=changed,
        overall=(old.scores.overall, new.scores.overall),
        dimensions={
            name: (old_dimensions.get(name), new_dimensions.get(name))
            for name in sorted(set(old_dimensions) | set(new_dimensions))
        },
    )


def history_points(reports: Sequence[Report]) -> list[dict[str, JsonValue]]:
    """Score over time: one point per report, oldest first (the `trend` of the HTML report)."""
    ordered = sorted(reports, key=lambda report: report.generated_at)
    return [
        {
            "generated_at": report.generated_at,
            "overall": report.scores.overall,
            "grade": report.scores.grade,
            "dimensions": {str(d.dimension): d.score for d in report.scores.dimensions},
            "target": report.target.get("url"),
        }
        for report in ordered
    ]
