"""Improvement recommendations from a scored report, ordered by the overall score they would win back.

A recommendation is one check with FAIL or WARN findings: its remediation and the overall points its
findings cost (`scores.points_lost`), i.e. what fixing every failing resource of that check gains. ERROR
findings are left out: their remedy is to collect the evidence, not the check's remediation. Pure: it
reads only the report.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from crmsec.report.model import Report
from crmsec.vocabulary import JsonValue, Status

ACTIONABLE = frozenset({Status.FAIL, Status.WARN})


def recommendations(report: Report) -> list[dict[str, JsonValue]]:
    """`[{check_id, title, dimension, severity, remediation, points, findings}]`, points descending.

    `points` is rounded to hundredths; checks that cost nothing (e.g. info severity) are left out. Ties are
    broken by check id, so the order is stable.
    """
    points: dict[str, float] = defaultdict(float)
    counts: dict[str, int] = defaultdict(int)
    for lost in report.scores.points_lost:
        if lost.status in ACTIONABLE:
            points[lost.check_id] += lost.points
            counts[lost.check_id] += 1
    metadata = {str(check.get("id")): check for check in report.checks}
    result: list[dict[str, JsonValue]] = []
    for check_id, total in points.items():
        check = metadata.get(check_id, {})
        if round(total, 2) <= 0:
            continue
        result.append({
            "check_id": check_id,
            "title": check.get("title", check_id),
            "dimension": check.get("dimension"),
            "severity": check.get("severity"),
            "remediation": check.get("remediation", ""),
            "points": round(total, 2),
            "findings": counts[check_id],
        })  # fmt: skip
    return sorted(result, key=lambda item: (-float(item["points"]), str(item["check_id"])))


def with_recommendations(report: Report) -> Report:
    """The report with its `recommendations` extra filled in (call after scoring, before writing)."""
    return replace(report, extras={**report.extras, "recommendations": recommendations(report)})
