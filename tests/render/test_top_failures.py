"""One ordering of "top failures" for every surface: Markdown and the terminal summary agree, worst first."""

from __future__ import annotations

import re

import pytest

from crmsec.cli.summary import print_summary
from crmsec.render import render, view
from crmsec.report.model import Report


def _markdown_order(report: Report) -> list[tuple[str, str]]:
    text = render(report, "md").decode("utf-8")
    table = text.split("#### Top failures", 1)[1].split("\n\n", 2)[1]
    rows = [line for line in table.splitlines() if line.startswith("| CRM-") or line.startswith("| plugin:")]
    cells = [[cell.replace("\\", "") for cell in row.split(" | ")] for row in rows]  # Markdown escapes `_`
    return [(cell[0][2:].split(" ")[0], cell[3]) for cell in cells]


def _terminal_order(report: Report, capsys: pytest.CaptureFixture[str]) -> list[tuple[str, str]]:
    print_summary(report, [], output_format="text")
    lines = capsys.readouterr().out.split("Top failures:\n", 1)[1].splitlines()
    pattern = re.compile(r"^  \S+\s+\S+\s+(\S+)  (.+?): ")
    return [(match[1], match[2]) for line in lines if (match := pattern.match(line))]


def test_the_critical_fail_leads_and_every_surface_uses_one_order(
    rich_report: Report, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = [(finding.check_id, finding.resource) for finding, _ in view.top_failures(rich_report)]
    # the fixture's critical FAIL (admin MFA) cost fewer points than an ERROR and two low/medium FAILs
    assert expected[0] == ("CRM-AUTH-001", "profile:销售代表")
    assert _markdown_order(rich_report) == expected
    assert _terminal_order(rich_report, capsys) == expected


def test_failing_findings_read_by_severity_then_status(rich_report: Report) -> None:
    ranked = [finding for finding, _ in view.top_failures(rich_report, limit=100)]
    keys = [(view.SEVERITY_ORDER.index(f.severity), view.FAILURE_ORDER.index(f.status)) for f in ranked]
    assert keys == sorted(keys)
    assert len(ranked) == sum(1 for f in rich_report.findings if f.status in view.FAILING)
