"""Plain-text pieces shared by the HTML and Markdown renderings: numbers, waivers, metrics, recommendations.

`recommendations` and `survey_themes` are optional report extras written by the evaluation work; they are
read defensively (a string, or an object with a title and a few known fields, anything else shown as
key: value) so a renderer never fails on a shape it does not know yet.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

from crmsec.plugin import JsonValue
from crmsec.render import view
from crmsec.report.model import Report

_TITLE_KEYS = ("title", "text", "summary", "recommendation", "action")
_DETAIL_KEYS = ("detail", "details", "description", "rationale", "why")


def number_text(value: float | None) -> str:
    """A score or points value as text: up to two decimals, no trailing zeros, "n/a" for none."""
    if value is None:
        return "n/a"
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")


def value_text(value: JsonValue) -> str:
    """Any JSON value as one line of text (objects and lists as compact JSON)."""
    if value is None:
        return "n/a"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return number_text(value)
    if isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def waiver_text(waiver: Mapping[str, JsonValue] | None) -> str:
    """A waiver in one line: owner, expiry and justification."""
    if not waiver:
        return ""
    return (
        f"waived by {value_text(waiver.get('owner'))} until {value_text(waiver.get('expires'))}: "
        f"{value_text(waiver.get('justification'))}"
    )


@dataclass(frozen=True, slots=True)
class MetricRow:
    """One metric as shown: id, label, value text, unit and source."""

    id: str
    label: str
    value_text: str
    unit: str
    source: str


@dataclass(frozen=True, slots=True)
class EvaluationSection:
    """One evaluation dimension: its score and its metrics."""

    key: str
    label: str
    score_text: str
    metrics: tuple[MetricRow, ...]


def evaluation_sections(report: Report) -> list[EvaluationSection]:
    """A section per evaluation dimension that has metrics or a score, in the fixed dimension order."""
    metrics = view.metrics_by_dimension(report)
    scores = {str(d.dimension): d.score for d in report.scores.dimensions}
    sections = []
    for key in view.EVALUATION_DIMENSIONS:
        if key not in metrics and key not in scores:
            continue
        rows = tuple(
            MetricRow(
                id=metric_id,
                label=value_text(metric.get("label") or metric_id),
                value_text=_metric_value(metric.get("value")),
                unit=value_text(metric.get("unit", "")),
                source=value_text(metric.get("source", "")),
            )
            for metric_id, metric in metrics.get(key, [])
        )
        sections.append(EvaluationSection(key, view.dimension_label(key), number_text(scores.get(key)), rows))
    return sections


def _metric_value(value: JsonValue) -> str:
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.4f}".rstrip("0").rstrip(".")
    return value_text(value)


@dataclass(frozen=True, slots=True)
class Recommendation:
    """An improvement recommendation: title, optional detail, dimension, priority and other fields."""

    title: str
    detail: str = ""
    dimension: str = ""
    priority: str = ""
    extra: tuple[tuple[str, str], ...] = ()


def _first(entry: Mapping[str, JsonValue], keys: tuple[str, ...]) -> str:
    for key in keys:
        if entry.get(key) not in (None, ""):
            return value_text(entry[key])
    return ""


def recommendations(report: Report) -> list[Recommendation]:
    """The report's `recommendations` extra, normalised (empty when absent)."""
    raw = report.extras.get("recommendations")
    if not isinstance(raw, list):
        return []
    result = []
    for entry in raw:
        if not isinstance(entry, Mapping):
            result.append(Recommendation(value_text(entry)))
            continue
        known = {*_TITLE_KEYS, *_DETAIL_KEYS, "dimension", "priority"}
        dimension = entry.get("dimension")
        result.append(
            Recommendation(
                title=_first(entry, _TITLE_KEYS) or value_text(dict(entry)),
                detail=_first(entry, _DETAIL_KEYS),
                dimension=view.dimension_label(dimension) if isinstance(dimension, str) else "",
                priority=value_text(entry.get("priority") or ""),
                extra=tuple((str(key), value_text(entry[key])) for key in sorted(entry) if key not in known),
            )
        )
    return result


def survey_themes(report: Report) -> list[tuple[str, str]]:
    """The report's `survey_themes` extra as (theme, text) rows, most mentioned first when counts are given."""
    raw = report.extras.get("survey_themes")
    if not isinstance(raw, Mapping):
        return []

    def weight(item: tuple[str, JsonValue]) -> tuple[float, str]:
        value = item[1]
        if isinstance(value, Mapping):
            value = value.get("count", value.get("mentions"))
        return (-float(value) if isinstance(value, int | float) else 0.0, item[0])

    return [(str(theme), _theme_text(value)) for theme, value in sorted(raw.items(), key=weight)]


def _theme_text(value: JsonValue) -> str:
    """`{"count": 230, "share": 43.4, "examples": [...]}` -> `230 (43.4%), e.g. a, b, c`; else the value."""
    if not isinstance(value, Mapping) or not isinstance(value.get("count", value.get("mentions")), int | float):
        return value_text(value)
    text = value_text(value.get("count", value.get("mentions")))
    share = value.get("share")
    if isinstance(share, int | float):
        text += f" ({number_text(share)}%)"
    examples = value.get("examples")
    if isinstance(examples, list) and examples:
        text += ", e.g. " + ", ".join(value_text(example) for example in examples[:5])
    return text
