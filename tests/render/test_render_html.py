"""report.html: self-contained, strict CSP, readable without JavaScript, accessible markup, every section."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest

from crmsec.render import render, to_html
from crmsec.report.model import Report


@pytest.fixture(scope="module")
def page(rich_report: Report, previous_report: Report) -> str:
    return render(rich_report, "html", previous=previous_report).decode("utf-8")


def _inline(page: str, tag: str) -> str:
    [body] = re.findall(rf"<{tag}>(.*?)</{tag}>", page, flags=re.S)
    return str(body)


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_csp_allows_exactly_the_inline_style_and_script(page: str) -> None:
    [policy] = re.findall(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    policy = policy.replace("&#39;", "'")
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'none'"
    assert directives["script-src"] == _sha256(_inline(page, "script"))
    assert directives["style-src"] == _sha256(_inline(page, "style"))
    assert directives["img-src"] == "data:"
    assert page.count("<script") == 1 and page.count("<style") == 1


def test_makes_no_network_request(page: str) -> None:
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "@import" not in page and "url(" not in page
    assert 'style="' not in page  # inline style attributes would need 'unsafe-inline'


def test_every_section_is_present(page: str) -> None:
    for section in (
        "summary",
        "dimensions",
        "severity",
        "frameworks",
        "explanation",
        "findings",
        "waivers",
        "coverage",
        "evaluation",
        "recommendations",
        "survey-themes",
        "trend",
    ):
        assert f'<section id="{section}"' in page, section
    for framework in ("iso27001_2022", "soc2", "gdpr", "pipl", "nist_csf_2", "gbt22239_2019_l3"):
        assert f'id="framework-{framework}"' in page


def test_readable_without_javascript(page: str, rich_report: Report) -> None:
    # the filter form is hidden until the script reveals it; every finding is in the markup
    assert re.search(r'<form id="finding-filters"[^>]*\bhidden\b', page)
    assert page.count("<tr data-status=") == len(rich_report.findings)
    assert "<noscript" not in page


def test_accessible_markup(page: str) -> None:
    for landmark in ('role="banner"', "<nav", '<main id="main"', 'role="contentinfo"'):
        assert landmark in page
    assert page.count('<svg role="img" aria-labelledby=') == 4  # gauge, dimensions, severity, trend
    assert '<th scope="col">' in page and '<th scope="row">' in page
    assert '<html lang="en">' in page


def test_waiver_owner_expiry_and_chinese_text(page: str) -> None:
    assert "王芳 (IT 安全)" in page and "2026-06-30" in page
    assert "列表视图显示完整手机号" in page
    assert "was FAIL" in page


def test_trend_only_with_history_or_previous(rich_report: Report) -> None:
    from dataclasses import replace

    bare = replace(rich_report, extras={})
    page = render(bare, "html").decode("utf-8")
    assert '<section id="trend"' not in page
    assert '<section id="trend"' in render(bare, "html", previous=rich_report).decode("utf-8")


def test_points_in_the_explanation_add_up(rich_report: Report) -> None:
    explanation = to_html.context(rich_report)["explanation"]
    assert explanation["total_text"] == f"{100 - (rich_report.scores.overall or 0):.2f}".rstrip("0").rstrip(".")


def test_structured_survey_themes_read_as_text(page: str) -> None:
    assert "<td>6 (12.5%), e.g. 卡顿, slow</td>" in page
    assert "<td>14</td>" in page
