"""This report against a previous one, for the rendered reports: score deltas, the findings `crmsec diff`
lists as new, resolved and no longer assessed, and the overall score over time (the trend line).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from crmsec.render.view import DIMENSION_LABELS, sorted_findings
from crmsec.report.diff import diff_reports
from crmsec.report.model import FindingRecord, Report


@dataclass(frozen=True, slots=True)
class TrendPoint:
    """One past or present report on the trend line."""

    generated_at: str
    overall: float | None


@dataclass(frozen=True, slots=True)
class Comparison:
    """This report against a previous one: score deltas, and the findings `crmsec diff` lists as new,
    resolved (now PASS) and no longer assessed (absent, NOT_APPLICABLE or MANUAL: not a fix)."""

    previous_generated_at: str
    previous_overall: float | None
    overall_delta: float | None
    dimensions: tuple[tuple[str, float | None, float | None, float | None], ...]  # name, before, now, delta
    new_failures: tuple[FindingRecord, ...]
    resolved: tuple[FindingRecord, ...]
    unassessed: tuple[FindingRecord, ...] = ()


def _delta(before: float | None, now: float | None) -> float | None:
    return None if before is None or now is None else round(now - before, 2)


def compare(report: Report, previous: Report) -> Comparison:
    """Compare with a previous report through `crmsec.report.diff.diff_reports`, the one comparison that
    `crmsec diff` prints too, so the rendered reports and the command never disagree about a finding."""
    moved = diff_reports(previous, report)
    before = {str(d.dimension): d.score for d in previous.scores.dimensions}
    now = {str(d.dimension): d.score for d in report.scores.dimensions}
    names = [name for name in DIMENSION_LABELS if name in before or name in now]
    return Comparison(
        previous_generated_at=previous.generated_at,
        previous_overall=previous.scores.overall,
        overall_delta=_delta(previous.scores.overall, report.scores.overall),
        dimensions=tuple(
            (name, before.get(name), now.get(name), _delta(before.get(name), now.get(name))) for name in names
        ),
        new_failures=tuple(sorted_findings(moved.new)),
        resolved=tuple(sorted_findings(moved.resolved)),
        unassessed=tuple(sorted_findings(moved.unassessed)),
    )


def trend_points(report: Report, previous: Report | None) -> list[TrendPoint]:
    """The overall score over time: the report's `trend` history (or the previous report), then this one."""
    points: list[TrendPoint] = []
    history = report.extras.get("trend")
    if isinstance(history, list):
        for entry in history:
            if isinstance(entry, Mapping) and isinstance(entry.get("generated_at"), str):
                overall = entry.get("overall")
                points.append(TrendPoint(entry["generated_at"], overall if isinstance(overall, int | float) else None))
    if previous is not None and all(p.generated_at != previous.generated_at for p in points):
        points.append(TrendPoint(previous.generated_at, previous.scores.overall))
    points = [p for p in points if p.generated_at != report.generated_at]
    points.sort(key=lambda p: p.generated_at)
    points.append(TrendPoint(report.generated_at, report.scores.overall))
    return points
