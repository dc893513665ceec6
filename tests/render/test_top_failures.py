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
from crmsec.report.model import FindingRecord, Report
from crmsec.scoring import PointsLost
from crmsec.testing import snapshot_from_values


def _markdown_rows(report: Report) -> list[list[str]]:
    text = render(report, "md").decode("utf-8")
    table = text.split("#### Top failures", 1)[1].split("| --- |", 1)[1].split("\n\n", 1)[0]
    rows = [line for line in table.splitlines() if line.startswith("| CRM-") or line.startswith("| plugin:")]
    return [[cell.replace("\\", "") for cell in row.split(" | ")] for row in rows]  # Markdown escapes `_`, `*`


def _markdown_order(report: Report) -> list[str]:
    return [cells[0][2:].split(" ")[0] for cells in _markdown_rows(report)]


def _terminal_rows(report: Report, capsys: pytest.CaptureFixture[str]) -> list[str]:
    print_summary(report, [], output_format="text")
    lines = capsys.readouterr().out.split("Top failures:\n", 1)[1].splitlines()
    return [line for line in lines if re.match(r"^  [A-Z]+ +[A-Z_]+ +\S+  ", line)]


def _terminal_order(report: Report, capsys: pytest.CaptureFixture[str]) -> list[str]:
    return [line.split()[2] for line in _terminal_rows(report, capsys)]


def test_the_critical_fail_leads_and_every_surface_uses_one_order(
    rich_report: Report, capsys: pytest.CaptureFixture[str]
) -> None:
    groups, _ = view.top_failure_groups(rich_report)
    expected = [group.check_id for group in groups]
    # the fixture's critical FAIL (admin MFA) reads first: most severe first, on every surface
    assert expected[0] == "CRM-AUTH-001"
    assert _markdown_order(rich_report) == expected
    assert _terminal_order(rich_report, capsys) == expected
    # a check ranks where its first failing finding ranks in the one finding order
    first_seen = list(dict.fromkeys(finding.check_id for finding, _ in view.top_failures(rich_report, limit=100)))
    assert expected == first_seen[: len(expected)]


def test_failing_findings_read_by_severity_then_status(rich_report: Report) -> None:
    ranked = [finding for finding, _ in view.top_failures(rich_report, limit=100)]
    keys = [(view.SEVERITY_ORDER.index(f.severity), view.FAILURE_ORDER.index(f.status)) for f in ranked]
    assert keys == sorted(keys)
    assert len(ranked) == sum(1 for f in rich_report.findings if f.status in view.FAILING)


def _finding(rich_report: Report, check_id: str, resource: str, message: str) -> FindingRecord:
    template = next(f for f in rich_report.findings if f.check_id == "CRM-AC-001")
    return replace(template, check_id=check_id, resource=resource, message=message, fingerprint=resource)


def _with_many(rich_report: Report, check_id: str, messages: dict[str, str]) -> Report:
    """The rich report plus a high FAIL per resource of one check, each costing 5 points (the most)."""
    added = [_finding(rich_report, check_id, resource, message) for resource, message in messages.items()]
    lost = [PointsLost(check_id, resource, Status.FAIL, 5.0) for resource in messages]
    scores = replace(rich_report.scores, points_lost=(*rich_report.scores.points_lost, *lost))
    return replace(rich_report, findings=(*rich_report.findings, *added), scores=scores)


def test_a_check_failing_on_many_resources_is_one_row_everywhere(
    rich_report: Report, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The demo showed CRM-AC-009 six times: now one row with the count and the first resources."""
    monkeypatch.setenv("COLUMNS", "300")  # a wide terminal: the row is not cut
    users = [f"b***@a***.test#{n:08x}" for n in range(6)]
    report = _with_many(
        rich_report, "CRM-AC-009", {u: f"{u} manages encryption keys and can also read all data." for u in users}
    )
    groups, more = view.top_failure_groups(report, limit=100)
    assert more == 0
    assert [group.check_id for group in groups].count("CRM-AC-009") == 1
    group = next(group for group in groups if group.check_id == "CRM-AC-009")
    assert group.affected == 6 and group.points == 30.0
    assert group.resources_text() == f"6 resources: {users[0]}, {users[1]}, {users[2]} and 3 more"
    assert group.message == "manages encryption keys and can also read all data."

    markdown = _markdown_rows(report)
    assert [cells[0][2:].split(" ")[0] for cells in markdown].count("CRM-AC-009") == 1
    row = next(cells for cells in markdown if cells[0].startswith("| CRM-AC-009"))
    assert row[3] == f"6 resources: {users[0]}, {users[1]}, {users[2]} and 3 more"
    assert row[4].endswith(": manages encryption keys and can also read all data.") and row[5] == "30 |"

    terminal = [line for line in _terminal_rows(report, capsys) if "CRM-AC-009" in line]
    assert len(terminal) == 1
    assert terminal[0].endswith("and 3 more: manages encryption keys and can also read all data.")


def test_messages_that_differ_beyond_the_resource_show_the_first_as_an_example(rich_report: Report) -> None:
    messages = {"user:1": "user:1 holds A and B.", "user:2": "user:2 holds C and D."}
    groups, _ = view.top_failure_groups(_with_many(rich_report, "CRM-AC-009", messages), limit=100)
    group = next(group for group in groups if group.check_id == "CRM-AC-009")
    assert group.message == "e.g. user:1 holds A and B."  # not read as what every resource says
    assert group.resources_text() == "2 resources: user:1, user:2"


def test_the_rows_beyond_the_limit_are_counted_as_checks(
    rich_report: Report, capsys: pytest.CaptureFixture[str]
) -> None:
    report = _with_many(rich_report, "CRM-AC-099", {"user:1": "a", "user:2": "b"})  # an eleventh failing check
    failing_checks = {f.check_id for f in report.findings if f.status in view.FAILING}
    assert len(failing_checks) == 11
    groups, more = view.top_failure_groups(report, limit=3)
    assert len(groups) == 3 and more == 8
    assert len(_markdown_rows(report)) == 10
    assert "… and 1 more failing check in the full report." in render(report, "md").decode("utf-8")
    assert len(_terminal_rows(report, capsys)) == 10
    print_summary(report, [], output_format="text")
    assert "  … and 1 more failing check in the report" in capsys.readouterr().out.splitlines()


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
    report = with_recommendations(engine.check_snapshot(snapshot, profile, catalogue))
    text = render(report, "md").decode("utf-8")
    top = text.split("#### Top failures", 1)[1]
    assert top.index("T-AUTH-001") < top.index("T-SAT-001")
    advice = text.split("#### Top recommendations", 1)[1]
    assert advice.index("T-AUTH-001") < advice.index("T-SAT-001")
    points = {lost.check_id: lost.points for lost in report.scores.points_lost}
    assert points["T-AUTH-001"] > points["T-SAT-001"]
