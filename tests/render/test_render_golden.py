"""Golden files for every renderer over the rich fixture report (with the previous report for the trend)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from render_outline import outline

from crmsec.render import render
from crmsec.report.model import Report

GOLDEN_FILES = [
    ("md", "report.md"),
    ("sarif", "report.sarif"),
    ("junit", "report.junit.xml"),
    ("csv", "report.csv"),
]


@pytest.mark.parametrize(("fmt", "name"), GOLDEN_FILES)
def test_golden(
    fmt: str, name: str, rich_report: Report, previous_report: Report, golden: Callable[[str, bytes], None]
) -> None:
    golden(name, render(rich_report, fmt, previous=previous_report))


def test_html_outline_golden(
    rich_report: Report, previous_report: Report, golden: Callable[[str, bytes], None]
) -> None:
    page = render(rich_report, "html", previous=previous_report).decode("utf-8")
    golden("report.html.outline.txt", outline(page).encode("utf-8"))


@pytest.mark.parametrize("fmt", ["html", "md", "sarif", "junit", "csv"])
def test_rendering_is_deterministic(fmt: str, rich_report: Report, previous_report: Report) -> None:
    first = render(rich_report, fmt, previous=previous_report)
    assert first == render(rich_report, fmt, previous=previous_report)


def test_markdown_without_previous_has_no_trend_line(rich_report: Report) -> None:
    text = render(rich_report, "md").decode("utf-8")
    assert "Since " not in text
    assert "Score 39.22/100" in text
