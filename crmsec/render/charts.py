"""Geometry for the HTML report's inline SVG charts: numbers and path strings only, never markup.

The template draws the SVG elements from these values with autoescaping on, so no report text is ever
pasted into markup here. Every chart is small, static and readable without JavaScript.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from crmsec.render.comparison import TrendPoint


def score_band(score: float | None) -> str:
    """A CSS class for a score: good (>= 90), fair (>= 70), poor (below), or none."""
    if score is None:
        return "none"
    if score >= 90:
        return "good"
    if score >= 70:
        return "fair"
    return "poor"


@dataclass(frozen=True, slots=True)
class Gauge:
    """A half-circle gauge: the grey track and the coloured arc up to the score."""

    track: str
    arc: str
    band: str


def _polar(cx: float, cy: float, radius: float, fraction: float) -> tuple[float, float]:
    angle = math.pi * (1 - fraction)
    return round(cx + radius * math.cos(angle), 2), round(cy - radius * math.sin(angle), 2)


def gauge(score: float | None, *, radius: float = 80, cx: float = 100, cy: float = 95) -> Gauge:
    """The paths of a 180-degree gauge filled to `score` out of 100 (empty arc for no score)."""
    start_x, start_y = _polar(cx, cy, radius, 0)
    end_x, end_y = _polar(cx, cy, radius, 1)
    track = f"M {start_x} {start_y} A {radius} {radius} 0 0 1 {end_x} {end_y}"
    fraction = 0.0 if score is None else min(max(score / 100, 0.0), 1.0)
    if fraction <= 0:
        return Gauge(track, "", score_band(score))
    point_x, point_y = _polar(cx, cy, radius, min(fraction, 0.9999))
    arc = f"M {start_x} {start_y} A {radius} {radius} 0 0 1 {point_x} {point_y}"
    return Gauge(track, arc, score_band(score))


@dataclass(frozen=True, slots=True)
class Bar:
    """One horizontal bar: its label, value text, row position and length."""

    key: str
    label: str
    value_text: str
    y: float
    width: float
    band: str


@dataclass(frozen=True, slots=True)
class BarChart:
    """A horizontal bar chart: bars plus the overall height and the plot area's left edge and width."""

    bars: tuple[Bar, ...]
    height: float
    left: float
    plot_width: float
    row: float


def bar_chart(
    rows: Sequence[tuple[str, str, float | None]],
    *,
    maximum: float = 100,
    left: float = 190,
    plot_width: float = 360,
    row: float = 26,
    bands: bool = True,
) -> BarChart:
    """Bars for (key, label, value) rows scaled to `maximum`; a missing value draws no bar and reads "n/a"."""
    bars = []
    for index, (key, label, value) in enumerate(rows):
        width = 0.0 if value is None or maximum <= 0 else round(plot_width * min(value, maximum) / maximum, 2)
        text = "n/a" if value is None else _number(value)
        band = score_band(value) if bands else key
        bars.append(Bar(key, label, text, index * row, width, band))
    return BarChart(tuple(bars), max(len(rows), 1) * row, left, plot_width, row)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}".rstrip("0").rstrip(".")


@dataclass(frozen=True, slots=True)
class TrendChart:
    """A line of scores over time: the polyline, its dots with labels, and the chart size."""

    points: str
    dots: tuple[tuple[float, float, str, str], ...]  # x, y, date, score text
    width: float
    height: float


def trend_chart(points: Sequence[TrendPoint], *, width: float = 560, height: float = 160) -> TrendChart:
    """The overall score over time on a fixed 0-100 axis (reports without a score are left out)."""
    scored = [point for point in points if point.overall is not None]
    pad_x, pad_y = 40.0, 20.0
    step = (width - 2 * pad_x) / max(len(scored) - 1, 1)
    dots = []
    for index, point in enumerate(scored):
        overall = point.overall if point.overall is not None else 0.0
        x = round(pad_x + index * step, 2)
        y = round(height - pad_y - (height - 2 * pad_y) * overall / 100, 2)
        dots.append((x, y, point.generated_at[:10], _number(overall)))
    return TrendChart(" ".join(f"{x},{y}" for x, y, _, _ in dots), tuple(dots), width, height)


@dataclass(frozen=True, slots=True)
class Mark:
    """A reference value drawn across a measure's track: a check limit, a benchmark or the zero line.

    `kind` is a CSS class (warn, fail, limit, benchmark, zero); `text` says what it is in words.
    """

    value: float
    kind: str
    text: str


@dataclass(frozen=True, slots=True)
class Measure:
    """One value to draw on its own scale from `low` to `high`, with its reference marks."""

    key: str
    label: str
    value: float | None
    value_text: str
    note: str
    low: float
    high: float
    band: str
    marks: tuple[Mark, ...] = ()
    status: str = ""


@dataclass(frozen=True, slots=True)
class MeasureRow:
    """A measure placed on the chart: the bar runs from the baseline (zero, or the scale's end) to the value."""

    measure: Measure
    y: float
    bar_x: float
    bar_width: float
    marks: tuple[tuple[float, Mark], ...]  # x, mark
    ticks: tuple[tuple[float, str, str], ...]  # x, text, text-anchor
    zero_x: float | None  # the zero line of a scale that spans it


@dataclass(frozen=True, slots=True)
class MeasureChart:
    """Rows of measures, each on its own labelled scale: label above, track with bar and marks, scale below."""

    rows: tuple[MeasureRow, ...]
    plot_width: float
    width: float
    height: float
    row: float


def measure_chart(measures: Sequence[Measure], *, plot_width: float = 460, row: float = 54) -> MeasureChart:
    """Place each measure on its scale; a missing value draws no bar, values outside the scale are clipped."""
    rows = []
    for index, measure in enumerate(measures):
        position = _scaler(measure.low, measure.high, plot_width)
        base = position(min(max(0.0, measure.low), measure.high))
        bar_x, bar_width = base, 0.0
        if measure.value is not None:
            end = position(measure.value)
            bar_x, bar_width = min(base, end), round(abs(end - base), 2)
        ticks = [(0.0, _number(measure.low), "start"), (plot_width, _number(measure.high), "end")]
        zero_x = position(0.0) if measure.low < 0 < measure.high else None
        if zero_x is not None:
            ticks.insert(1, (zero_x, "0", "middle"))
        marks = tuple((position(mark.value), mark) for mark in measure.marks)
        rows.append(MeasureRow(measure, index * row, bar_x, bar_width, marks, tuple(ticks), zero_x))
    return MeasureChart(tuple(rows), plot_width, plot_width + 340, max(len(rows), 1) * row, row)


def _scaler(low: float, high: float, width: float) -> Callable[[float], float]:
    span = high - low if high > low else 1.0

    def position(value: float) -> float:
        return round(width * (min(max(value, low), high) - low) / span, 2)

    return position


def nice_ceiling(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 times a power of ten that is at least `value` (1 for zero or less)."""
    if value <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    for step in (1.0, 2.0, 2.5, 5.0, 10.0):
        if step * power >= value:
            return step * power
    return 10.0 * power  # pragma: no cover - the loop always returns
