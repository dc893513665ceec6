"""What the HTML and Markdown reports show of the evaluation dimensions: metrics, their limits, survey
themes and the improvement recommendations, read from a `Report` alone.

The shapes are those of docs/metrics.md: `metrics` maps an id to `{value, unit, dimension, source, label}`,
the `survey_themes` extra maps a theme to `{count, share, examples}`, and the `recommendations` extra is a
list of `{check_id, title, dimension, severity, remediation, points, findings}`, points descending. Older
reports may lack any of them, or hold other shapes; those read as empty or with defaults, never fail.

A metric's verdict and limits come from the check that judged it: the findings whose `details.metric`
names the metric's id (every built-in check that judges a metric records it). Reports from before that
field match the older way, by value: a finding of the same dimension without `details.metric` whose
`details.actual` equals the metric's value (and whose `details.source`, when it has one, names the metric's
source) and whose details carry `warn_below`/`fail_below`, `warn_above`/`fail_above` or `limit`. Values
collide (0, 0%, 100%), so there, when findings of different checks match one value, no verdict is shown
rather than a guessed one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from crmsec.render import view
from crmsec.render.charts import Mark, Measure, nice_ceiling
from crmsec.render.presentation import number_text, value_text
from crmsec.report.model import FindingRecord, Report
from crmsec.vocabulary import JsonValue, Status

SUS_BENCHMARK = 68.0
"""The average SUS score of published studies: the usual benchmark line."""
THEME_PREFIX = "survey_theme."
_UNITS = {"percent": "%", "ms": " ms", "hours": " h", "per_month": " per month", "months": " months"}
_LIMIT_WORDS = {"warn_below": "warn below", "fail_below": "fail below", "warn_above": "warn above",
                "fail_above": "fail above", "limit": "limit"}  # fmt: skip
_BANDS = {str(Status.PASS): "good", str(Status.WARN): "fair", str(Status.FAIL): "poor"}


def as_number(value: JsonValue) -> float | None:
    """An int or float (not a bool) as a float, else None."""
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def metric_text(value: float | None, unit: str) -> str:
    """A metric value with its unit as a reader writes it: `97.13%`, `624.4 ms`, `50,439.42 CNY`."""
    if value is None:
        return "n/a"
    number = number_text(value) if abs(value) < 10_000 else f"{value:,.2f}".rstrip("0").rstrip(".")
    if unit in _UNITS:
        return number + _UNITS[unit]
    if unit in ("", "score", "count", "logins"):
        return number
    return f"{number} {unit}"


def band(status: str) -> str:
    """The chart colour of a judged value: good, fair or poor for PASS, WARN, FAIL; "metric" when unjudged."""
    return _BANDS.get(status, "none") if status else "metric"


@dataclass(frozen=True, slots=True)
class Judgement:
    """The check that judged a value: its id, the finding's status and the limits from its details."""

    check_id: str
    status: str
    marks: tuple[Mark, ...]

    @property
    def text(self) -> str:
        """`warn below 68 · fail below 50 (CRM-USE-001)`, or the check id alone when it states no limit."""
        if not self.marks:
            return self.check_id
        return " · ".join(mark.text for mark in self.marks) + f" ({self.check_id})"


def _marks(details: Mapping[str, JsonValue]) -> tuple[Mark, ...]:
    marks = []
    for key, words in _LIMIT_WORDS.items():
        value = as_number(details.get(key))
        if value is not None:
            kind = "limit" if key == "limit" else key.split("_")[0]
            marks.append(Mark(value, kind, f"{words} {number_text(value)}"))
    return tuple(marks)


def linked(findings: Sequence[FindingRecord], metric_id: str) -> list[FindingRecord]:
    """The findings whose `details.metric` names `metric_id`: the checks that judged that metric."""
    return [finding for finding in findings if finding.details.get("metric") == metric_id]


def candidates(
    findings: Sequence[FindingRecord], dimension: str, value: float, *, source: str = "", resource: str = ""
) -> list[FindingRecord]:
    """Findings of `dimension` with limits whose `details.actual` is `value`, for reports whose findings do
    not name their metric (see the module docstring); findings that name one never match by value."""
    found = []
    for finding in findings:
        if "metric" in finding.details:
            continue
        actual = as_number(finding.details.get("actual"))
        if view.group_of(finding) != dimension or actual is None or abs(actual - value) > 1e-9:
            continue
        stated = finding.details.get("source")
        if (resource and finding.resource != resource) or (isinstance(stated, str) and source and stated != source):
            continue
        if _marks(finding.details):
            found.append(finding)
    return found


def judgement(findings: Sequence[FindingRecord]) -> Judgement | None:
    """The check behind these findings, or None when there are none or they come from several checks."""
    if len({finding.check_id for finding in findings}) != 1:
        return None
    first = min(findings, key=lambda finding: finding.resource)
    return Judgement(first.check_id, str(first.status), _marks(first.details))


@dataclass(frozen=True, slots=True)
class Metric:
    """One metric as shown: id, label, value, unit, source, and the check that judged it when known."""

    id: str
    label: str
    value: float | None
    unit: str
    source: str
    judged_by: Judgement | None

    @property
    def value_text(self) -> str:
        """The value with its unit."""
        return metric_text(self.value, self.unit)

    @property
    def status(self) -> str:
        """The judging finding's status, or "" when no check judged it."""
        return self.judged_by.status if self.judged_by else ""


def metrics(report: Report, dimension: str, raws: Sequence[tuple[str, Mapping[str, JsonValue]]]) -> tuple[Metric, ...]:
    """The dimension's metrics with the check that judged each.

    A finding that matches the values of several metrics (two rates of 0, two counts of 530) judges only
    the metric whose id names the finding's resource (`invalid_email_rate` for resource `email`), or none.
    """
    parsed = [
        (metric_id, raw, as_number(raw.get("value")), value_text(raw.get("source") or "")) for metric_id, raw in raws
    ]
    by_id = {metric_id: linked(report.findings, metric_id) for metric_id, *_ in parsed}
    found = {
        metric_id: []
        if number is None or by_id[metric_id]
        else candidates(report.findings, dimension, number, source=source)
        for metric_id, _, number, source in parsed
    }
    claims = Counter((finding.check_id, finding.resource) for matched in found.values() for finding in matched)
    result = []
    for metric_id, raw, number, source in parsed:
        matched = by_id[metric_id] or [
            finding
            for finding in found[metric_id]
            if claims[(finding.check_id, finding.resource)] == 1 or (finding.resource and finding.resource in metric_id)
        ]
        label = raw.get("label")
        result.append(
            Metric(
                id=metric_id,
                label=value_text(label) if isinstance(label, str) and label else metric_id,
                value=number,
                unit=value_text(raw.get("unit") or ""),
                source=source,
                judged_by=judgement(matched),
            )
        )
    return tuple(result)


def _scale(metric: Metric, marks: Sequence[Mark]) -> tuple[float, float, bool] | None:
    """(low, high, fixed): a fixed scale is the metric's own; the others are widened to their unit's range."""
    values = [metric.value or 0.0, *(mark.value for mark in marks)]
    if metric.id == "sus":
        return 0.0, 100.0, True
    if metric.id == "nps":
        return -100.0, 100.0, True
    if metric.unit == "percent" and all(0 <= number <= 100 for number in values) and max(values) > 50:
        return 0.0, 100.0, True
    if metric.unit != "percent" and metric.judged_by is None:
        return None
    high = nice_ceiling(max(values) * 1.15) if max(values) > 0 else (0.0 if min(values) < 0 else 1.0)
    low = -nice_ceiling(-min(values) * 1.15) if min(values) < 0 else 0.0
    return low, high, False


def measures(shown: Sequence[Metric]) -> tuple[Measure, ...]:
    """The metrics that have an honest scale, as chart rows (counts, money and times need a check's limits).

    Percentages run from 0 to 100 when they reach above 50, SUS from 0 to 100 with the benchmark 68, NPS
    from -100 to 100. Other rows start at zero (or below it, for negative values) and end at a round number
    above their values and limits; rows of one unit (and sign) share that range, so their bars compare.
    """
    placed = []
    for metric in shown:
        if metric.value is None:
            continue  # nothing to draw; the table says n/a and why
        marks = metric.judged_by.marks if metric.judged_by else ()
        if metric.id == "sus":
            marks = (*marks, Mark(SUS_BENCHMARK, "benchmark", "benchmark 68 (average of published studies)"))
        scale = _scale(metric, marks)
        if scale is not None:
            placed.append((metric, marks, scale))
    ranges: dict[tuple[str, bool], tuple[float, float]] = {}
    for metric, _, (low, high, fixed) in placed:
        if not fixed:
            before = ranges.get((metric.unit, low < 0), (low, high))
            ranges[(metric.unit, low < 0)] = (min(before[0], low), max(before[1], high))
    result = []
    for metric, marks, (low, high, fixed) in placed:
        low, high = (low, high) if fixed else ranges[(metric.unit, low < 0)]
        note = metric.judged_by.text if metric.judged_by else ""
        row = Measure(metric.id, metric.label, metric.value, metric.value_text, note, low, high, band(metric.status))
        result.append(replace(row, marks=tuple(marks), status=metric.status))
    return tuple(result)


@dataclass(frozen=True, slots=True)
class Theme:
    """A survey comment theme: comments mentioning it, their share, the matched keywords, and its limit."""

    name: str
    count: int | None
    share: float | None
    examples: tuple[str, ...]
    judged_by: Judgement | None

    @property
    def label(self) -> str:
        """The theme as a reader sees it, with its comment count."""
        name = self.name.replace("_", " ")
        return name if self.count is None else f"{name} ({self.count} comments)"

    def measure(self) -> Measure:
        """The share of comments on a 0-100 scale, with the check's limit when one judged it."""
        note = self.judged_by.text if self.judged_by else ""
        if self.examples:
            note = "e.g. " + ", ".join(self.examples) + (f" · {note}" if note else "")
        status = self.judged_by.status if self.judged_by else ""
        marks = self.judged_by.marks if self.judged_by else ()
        text = metric_text(self.share, "percent")
        return Measure(self.name, self.label, self.share, text, note, 0, 100, band(status), marks, status)


def survey_themes(report: Report) -> list[Theme]:
    """The `survey_themes` extra, most mentioned first (a bare number is read as a count without a share)."""
    raw = report.extras.get("survey_themes")
    if not isinstance(raw, Mapping):
        return []
    themes = []
    for name, entry in raw.items():
        fields: Mapping[str, JsonValue] = entry if isinstance(entry, Mapping) else {"count": entry}
        count, share, examples = fields.get("count"), fields.get("share"), fields.get("examples")
        share_number, count_number = as_number(share), as_number(count)
        judged = judgement(linked(report.findings, THEME_PREFIX + str(name)))
        if judged is None and share_number is not None:
            judged = judgement(candidates(report.findings, "satisfaction", share_number, resource=str(name)))
        themes.append(
            Theme(
                name=str(name),
                count=None if count_number is None else int(count_number),
                share=share_number,
                examples=tuple(value_text(item) for item in examples) if isinstance(examples, list) else (),
                judged_by=judged,
            )
        )
    return sorted(themes, key=lambda theme: (-(theme.count or 0), -(theme.share or 0.0), theme.name))


@dataclass(frozen=True, slots=True)
class EvaluationSection:
    """One evaluation dimension: its score, its metrics, the chart of those with a scale, and survey themes."""

    key: str
    label: str
    score: float | None
    metrics: tuple[Metric, ...]
    measures: tuple[Measure, ...]
    themes: tuple[Theme, ...] = ()

    @property
    def score_text(self) -> str:
        """The dimension's score ("n/a" when nothing decided)."""
        return number_text(self.score)

    def key_metrics(self, limit: int = 4) -> list[Metric]:
        """The metrics a summary line shows: failing, warning, then passing ones a check judged, then the rest."""
        order = {str(Status.FAIL): 0, str(Status.WARN): 1, str(Status.PASS): 2}
        shown = [m for m in self.metrics if m.value is not None and not m.id.startswith(THEME_PREFIX)]
        return sorted(shown, key=lambda metric: order.get(metric.status, 3))[:limit]


def evaluation_sections(report: Report) -> list[EvaluationSection]:
    """A section per evaluation dimension with metrics, a score or (satisfaction) survey themes, in order.

    The theme metrics (`survey_theme.*`) are charted once, as the themes chart, when the report has them.
    """
    grouped = view.metrics_by_dimension(report)
    scores = {str(d.dimension): d.score for d in report.scores.dimensions}
    themes = survey_themes(report)
    sections = []
    for key in view.EVALUATION_DIMENSIONS:
        section_themes = tuple(themes) if key == "satisfaction" else ()
        if key not in grouped and key not in scores and not section_themes:
            continue
        shown = metrics(report, key, grouped.get(key, []))
        charted = measures([m for m in shown if not (section_themes and m.id.startswith(THEME_PREFIX))])
        sections.append(
            EvaluationSection(key, view.dimension_label(key), scores.get(key), shown, charted, section_themes)
        )
    return sections


@dataclass(frozen=True, slots=True)
class Recommendation:
    """A check with failing findings, what fixing them wins back, and how to fix them."""

    check_id: str
    title: str
    dimension: str
    severity: str
    remediation: str
    points: float
    findings: int

    @property
    def dimension_label(self) -> str:
        """The dimension as a reader sees it ("" when unknown)."""
        return view.dimension_label(self.dimension) if self.dimension else ""

    @property
    def points_text(self) -> str:
        """`+6.67`: the overall points fixing this check wins back."""
        return "+" + number_text(self.points)


def _text(entry: Mapping[str, JsonValue], key: str) -> str:
    value = entry.get(key)
    return value_text(value) if value not in (None, "") else ""


def recommendations(report: Report) -> list[Recommendation]:
    """The `recommendations` extra, points descending (empty when absent; a bare string is a title)."""
    raw = report.extras.get("recommendations")
    if not isinstance(raw, list):
        return []
    result = []
    for entry in raw:
        fields: Mapping[str, JsonValue] = entry if isinstance(entry, Mapping) else {"title": value_text(entry)}
        points, findings = fields.get("points"), fields.get("findings")
        result.append(
            Recommendation(
                check_id=_text(fields, "check_id"),
                title=_text(fields, "title") or _text(fields, "check_id"),
                dimension=_text(fields, "dimension"),
                severity=_text(fields, "severity"),
                remediation=_text(fields, "remediation") or _text(fields, "detail"),
                points=as_number(points) or 0.0,
                findings=int(as_number(findings) or 0),
            )
        )
    return sorted(result, key=lambda item: -item.points)  # stable: the producer's order breaks ties
