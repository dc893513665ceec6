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
    assert len(text.splitlines()) < 60
    assert "://" not in text and "](" not in text
    assert "gate FAILED" in text and "| Dimension | Score | Coverage | Points lost |" in text
    assert "#### Top failures" in text
    assert "Since 2026-02-01T08:00:00Z: overall 29.63 → 40.74 (+11.11)" in text
