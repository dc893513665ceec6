"""report.md: escaping and link-free output."""

from __future__ import annotations

import pytest

from crmsec.render import render
from crmsec.render.to_markdown import escape_markdown
from crmsec.report.model import Report


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("a|b", "a\\|b"),
        ("`code`", "\\`code\\`"),
        ("<b>x</b> & y", "&lt;b&gt;x&lt;/b&gt; &amp; y"),
        ("[click](javascript:alert(1))", "\\[click\\](javascript:alert(1))"),
        ("see https://evil.test/a", "see https\\[:\\]//evil.test/a"),  # renders as https[:]//
        ("www.evil.test", "www\\[.\\]evil.test"),
        ("line\nbreak\r\nhere", "line break here"),
        ("*bold* _it_ ~~s~~ \\", "\\*bold\\* \\_it\\_ \\~\\~s\\~\\~ \\\\"),
        ("销售代表", "销售代表"),
    ],
)
def test_escape_markdown(raw: str, escaped: str) -> None:
    assert escape_markdown(raw) == escaped


def test_markdown_is_short_and_link_free(rich_report: Report, previous_report: Report) -> None:
    text = render(rich_report, "md", previous=previous_report).decode("utf-8")
    assert len(text.splitlines()) < 90  # ten failures, ten recommendations, six evaluation lines at most
    assert "://" not in text and "](" not in text
    assert "Gate failed" in text and "| Dimension | Score | Coverage | Points lost |" in text
    assert "#### Top failures" in text
    assert "Since 2026-02-01T08:00:00Z: overall 24.44 → 39.22 (+14.78)" in text


def test_top_recommendations_in_points_order(rich_report: Report) -> None:
    text = render(rich_report, "md").decode("utf-8")
    lines = text.split("#### Top recommendations", 1)[1].split("####", 1)[0].splitlines()
    items = [line for line in lines if line[:1].isdigit()]
    assert len(items) == len(rich_report.extras["recommendations"])
    # severity dominates: the critical MFA FAIL wins back the most points
    assert items[0].startswith(
        "1. **+19.61 points** · CRM-AUTH-001 Multi-factor authentication is enforced (Authentication"
    )
    points = [float(line.split("**+", 1)[1].split(" ", 1)[0]) for line in items]
    assert points == sorted(points, reverse=True)


def test_top_recommendations_stop_at_ten(rich_report: Report) -> None:
    from dataclasses import replace

    many = [{"check_id": f"CRM-X-{n:03}", "title": f"Fix {n}", "points": 20 - n, "findings": 1} for n in range(12)]
    text = render(replace(rich_report, extras={"recommendations": many}), "md").decode("utf-8")
    assert "10. **+11 points** · CRM-X-009 Fix 9" in text and "CRM-X-010" not in text
    assert "… and 2 more in the full report." in text


def test_evaluation_lines(rich_report: Report) -> None:
    text = render(rich_report, "md").decode("utf-8")
    section = text.split("#### Evaluation\n\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert section[0] == "- **Data quality** 0/100: Duplicate records 8.2% (FAIL), Key-field completeness 91%"
    assert "- **Stability**: Time without an outage 99.87%, Mean time to recover 5.5 h" in section
    assert [line.split("**")[1] for line in section] == [
        "Data quality", "Stability", "Usability", "Satisfaction", "Functionality", "Business value"
    ]  # fmt: skip
