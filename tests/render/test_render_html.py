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
    assert not re.search(r"""src\s*=\s*["']?(https?:)?//""", page)
    # the only absolute URLs are the checks' references: links a reader may follow, never loaded by the page
    links = re.findall(r"""<(\w+)[^>]*\bhref\s*=\s*["']?(?:https?:)?//[^>]*>""", page)
    assert links and set(links) == {"a"}
    assert len(links) == len(re.findall(r'<a href="https?://[^"]+" rel="noopener noreferrer">', page))
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
    # one row per check, each finding either listed in it or counted ("and N more", "N passing resources")
    rows = re.findall(r'<tr class="check-row" id="check-([^"]+)" data-status=', page)
    assert sorted(rows) == sorted({finding.check_id for finding in rich_report.findings})
    assert "<noscript" not in page


def test_accessible_markup(page: str) -> None:
    for landmark in ('role="banner"', "<nav", '<main id="main"', 'role="contentinfo"'):
        assert landmark in page
    assert page.count('<svg role="img" aria-labelledby=') == 4  # gauge, dimensions, severity, trend
    # one chart per evaluation dimension with a value on a scale, plus the survey themes; each with a text
    # alternative (title and desc) that spells out every value
    charts = re.findall(r'<svg class="measures" role="img" aria-labelledby="([^"]+)-title \1-desc"', page)
    assert [*charts] == [
        *(f"evaluation-{key}-chart" for key in ("data_quality", "stability", "usability", "satisfaction")),
        "survey-themes-chart",
        *(f"evaluation-{key}-chart" for key in ("functionality", "business_value")),
    ]
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


def _desc(page: str, chart: str) -> str:
    [text] = re.findall(rf'<desc id="{chart}-desc">(.*?)</desc>', page, flags=re.S)
    return str(text)


def test_metric_charts_use_honest_scales_and_the_checks_limits(page: str) -> None:
    quality = _desc(page, "evaluation-data_quality-chart")
    assert "Key-field completeness: 91% on a scale from 0 to 100." in quality
    assert "Duplicate records: 8.2% (FAIL) on a scale from 0 to 10; warn above 2 · fail above 5 (CRM-DQ-001)." in (
        quality
    )
    usability = _desc(page, "evaluation-usability-chart")
    assert "68.5 (PASS) on a scale from 0 to 100" in usability and "benchmark 68" in usability
    satisfaction = _desc(page, "evaluation-satisfaction-chart")
    assert "Net promoter score（净推荐值）: 12 on a scale from -100 to 100." in satisfaction
    value = _desc(page, "evaluation-business_value-chart")
    assert value == "Sales cycle length: change (positive = better): -12.5% on a scale from -20 to 0."  # no n/a bar
    assert "Mean time to recover" not in _desc(page, "evaluation-stability-chart")  # hours without a limit
    assert '<line class="mark benchmark" x1="312.8"' in page  # 68 of 0-100 over 460 px


def test_survey_themes_chart(page: str) -> None:
    themes = _desc(page, "survey-themes-chart")
    assert themes.startswith("导航太复杂 (14 comments): 43.8% (WARN) on a scale from 0 to 100; e.g. 复杂, confusing")
    assert "limit 25 (CRM-SAT-004)" in themes and "mobile (0 comments): 0%" in themes
    assert "survey_theme." not in _desc(page, "evaluation-satisfaction-chart")  # charted once, as themes


def test_recommendations_link_to_the_failing_findings(page: str, rich_report: Report) -> None:
    rows = re.findall(r'<tr data-recommendation="(\d+)">(.*?)</tr>', page, flags=re.S)
    assert len(rows) == len(rich_report.extras["recommendations"])
    first = rows[0][1]
    assert "<strong>Multi-factor authentication is enforced</strong>" in first and "+19.61" in first
    assert '<span class="pill sev-critical">critical</span>' in first
    for _, row in rows:
        [target] = re.findall(r'<a href="#([^"]+)">', row)
        assert re.search(rf'<tr class="check-row" id="{re.escape(target)}" data-status="(FAIL|WARN)"', page), target
    assert page.index('id="recommendations"') < page.index('id="findings"')


def test_older_report_shapes_still_render(rich_report: Report) -> None:
    from dataclasses import replace

    older = replace(
        rich_report,
        metrics={"x": {"value": "high", "dimension": "stability"}, "y": {"dimension": "usability"}},
        extras={
            "recommendations": ["Review the expired waiver.", {"title": "Merge duplicates", "detail": "8.2%"}, 7],
            "survey_themes": {"slow search": 9, "navigation": {"mentions": 3}, "odd": [1]},
        },
    )
    page = render(older, "html").decode("utf-8")
    assert "<strong>Review the expired waiver.</strong>" in page and "<br>8.2%" in page
    assert "slow search (9 comments): n/a" in _desc(page, "survey-themes-chart")
    assert 'id="evaluation-stability"' in page and "evaluation-stability-chart" not in page
    bare = render(replace(rich_report, metrics={}, extras={}), "html").decode("utf-8")
    assert 'id="evaluation-satisfaction"' in bare and 'id="recommendations"' not in bare
