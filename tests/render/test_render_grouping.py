"""The findings list is grouped by check: one row per check with its counts, the resources needing attention
(capped, "and N more"), the passing ones folded away, and the check's controls and references."""

from __future__ import annotations

import re
from dataclasses import replace

from crmsec.render import findings_table, render, view
from crmsec.report.model import FindingRecord, Report
from crmsec.vocabulary import Dimension, Severity, Status


def _finding(resource: str, status: Status) -> FindingRecord:
    return FindingRecord(
        check_id="CRM-AC-004",
        title="Active accounts have logged in recently",
        dimension=Dimension.ACCESS_CONTROL,
        severity=Severity.MEDIUM,
        status=status,
        resource=resource,
        message=f"{resource} was seen",
        fingerprint=f"{resource:0>32}"[-32:],
        slug="inactive_users",
    )


def _per_user_report(rich_report: Report, failing: int, passing: int) -> Report:
    findings = [_finding(f"user-{index:03}", Status.FAIL) for index in range(failing)]
    findings += [_finding(f"ok-{index:03}", Status.PASS) for index in range(passing)]
    check = {
        "id": "CRM-AC-004",
        "title": "Active accounts have logged in recently",
        "frameworks": {"soc2": ["CC6.2", "CC6.1"], "iso27001_2022": ["A.5.18"]},
        "references": [
            "https://example.test/guide?a=1&b=<2>",
            "javascript:alert(document.domain)",
            "JAVASCRIPT://%0aalert(1)",
            "data:text/html,<script>alert(1)</script>",
            "http://",
            "ISO/IEC 27001:2022 A.5.18",
        ],
        "rationale": "Dormant accounts are doors nobody watches.",
        "remediation": "Deactivate accounts unused for 90 days.",
    }
    return replace(rich_report, findings=tuple(findings), checks=(check,))


def test_hundreds_of_findings_make_one_row(rich_report: Report) -> None:
    report = _per_user_report(rich_report, failing=12, passing=300)
    page = render(report, "html").decode("utf-8")
    assert len(re.findall(r'<tr class="check-row" ', page)) == 1
    row = page.split('<tr class="check-row" id="check-CRM-AC-004"', 1)[1].split("</tr>", 1)[0]
    assert 'data-statuses="FAIL PASS"' in row
    assert "12 FAIL" in row and "300 PASS" in row
    listed = re.findall(r'<li><span class="pill status-FAIL">FAIL</span>', row)
    assert len(listed) == findings_table.LISTED
    assert f"and {12 - findings_table.LISTED} more not passing" in row
    assert re.search(r'<details class="passing">\s*<summary>300 passing resources</summary>', row)
    assert row.count('<span class="resource">ok-') == 300  # all of them, folded away
    assert 'class="passing print-open"' not in row


def test_references_link_only_http_and_https(rich_report: Report) -> None:
    page = render(_per_user_report(rich_report, failing=1, passing=0), "html").decode("utf-8")
    hrefs = re.findall(r'<a href="([^"#][^"]*)"', page)
    assert hrefs == ["https://example.test/guide?a=1&amp;b=&lt;2&gt;"]
    assert not re.search(r'<a href="(javascript|data):', page, flags=re.IGNORECASE)
    # the others stay visible as escaped text
    assert '<span class="mono">javascript:alert(document.domain)</span>' in page
    assert "data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<dt>Framework controls</dt>" in page
    assert '<li>ISO/IEC 27001:2022: <span class="mono">A.5.18</span></li>' in page
    assert '<li>SOC 2: <span class="mono">CC6.1, CC6.2</span></li>' in page


def test_safe_link() -> None:
    assert findings_table.safe_link("https://help.salesforce.com/s/a?id=1") == "https://help.salesforce.com/s/a?id=1"
    assert findings_table.safe_link(" HTTP://example.test ") == "HTTP://example.test"
    for unsafe in ("javascript:alert(1)", "java\nscript:x", "https://exa mple.test", "//example.test", "ftp://x", ""):
        assert findings_table.safe_link(unsafe) == "", unsafe


def test_check_groups_sum_points_and_read_worst_first(rich_report: Report) -> None:
    groups = view.check_groups(rich_report)
    assert [g.check_id for g in groups][:1] == ["CRM-AUTH-001"]  # critical FAIL first
    assert sum(len(g.findings) for g in groups) == len(rich_report.findings)
    lost = round(sum(item.points for item in rich_report.scores.points_lost), 2)
    assert round(sum(g.points for g in groups), 2) == lost
    statuses = [view.STATUS_ORDER.index(g.worst) for g in groups]
    assert statuses == sorted(statuses)
