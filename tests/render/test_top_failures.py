"""One ordering of "top failures" for every surface: Markdown and the terminal summary agree, worst first."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from crmsec import engine
from crmsec.cli.summary import print_summary
from crmsec.evaluation import with_recommendations
from crmsec.plugin import Dimension, Evidence, Finding, Severity, Status, check
from crmsec.profiles import Profile
from crmsec.registry import Catalogue
from crmsec.render import render, view
from crmsec.report.model import Report
from crmsec.testing import snapshot_from_values


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
    # the fixture's critical FAIL (admin MFA) reads first: most severe first, on every surface
    assert expected[0] == ("CRM-AUTH-001", "profile:销售代表")
    assert _markdown_order(rich_report) == expected
    assert _terminal_order(rich_report, capsys) == expected


def test_failing_findings_read_by_severity_then_status(rich_report: Report) -> None:
    ranked = [finding for finding, _ in view.top_failures(rich_report, limit=100)]
    keys = [(view.SEVERITY_ORDER.index(f.severity), view.FAILURE_ORDER.index(f.status)) for f in ranked]
    assert keys == sorted(keys)
    assert len(ranked) == sum(1 for f in rich_report.findings if f.status in view.FAILING)


@check(
    id="T-AUTH-001",
    title="Template",
    dimension=Dimension.AUTHENTICATION,
    severity=Severity.MEDIUM,
    requires=("auth.session_settings",),
    rationale="r" * 10,
    remediation="m" * 10,
    frameworks={"soc2": ("CC6.1",)},
)
def template_check(evidence: Evidence) -> list[Finding]:
    return [Finding(Status.PASS, "organization", "ok")]


def _returning(status: Status) -> Callable[[Evidence], list[Finding]]:
    def judge(evidence: Evidence) -> list[Finding]:
        return [Finding(status, "organization", str(status))]

    return judge


def test_a_critical_fail_among_many_checks_leads_report_md(tmp_path: Path) -> None:
    """The issue's demo: admin MFA (critical FAIL) among 18 authentication checks, one satisfaction WARN."""
    template = template_check.__crmsec_check__  # type: ignore[attr-defined]
    specs = [replace(template, id="T-AUTH-001", severity=Severity.CRITICAL, function=_returning(Status.FAIL))]
    specs += [replace(template, id=f"T-AUTH-{n:03}", function=_returning(Status.PASS)) for n in range(2, 19)]
    specs += [replace(template, id="T-SAT-001", dimension=Dimension.SATISFACTION, function=_returning(Status.WARN))]
    catalogue = Catalogue()
    for spec in specs:
        catalogue.add(spec, "test")
    snapshot = snapshot_from_values({"auth.session_settings": {"idle_timeout_minutes": 15}})
    profile = Profile(name="t", description="", sha256="0" * 64, sources=())
    report = with_recommendations(engine.evaluate(snapshot, profile, catalogue))
    text = render(report, "md").decode("utf-8")
    top = text.split("#### Top failures", 1)[1]
    assert top.index("T-AUTH-001") < top.index("T-SAT-001")
    advice = text.split("#### Top recommendations", 1)[1]
    assert advice.index("T-AUTH-001") < advice.index("T-SAT-001")
    points = {lost.check_id: lost.points for lost in report.scores.points_lost}
    assert points["T-AUTH-001"] > points["T-SAT-001"]
