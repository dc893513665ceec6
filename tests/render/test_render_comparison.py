"""One comparison: the HTML and Markdown "since the previous report" and `crmsec diff` agree, in particular
that a FAIL which became NOT_APPLICABLE (or vanished) is "no longer assessed", never "resolved"."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from crmsec.cli import main
from crmsec.render import comparison, render
from crmsec.report.diff import diff_reports
from crmsec.report.model import FindingRecord, Report
from crmsec.vocabulary import Status


def _with_status(report: Report, check_id: str, status: Status) -> Report:
    findings = tuple(
        replace(finding, status=status, original_status=None, waiver=None) if finding.check_id == check_id else finding
        for finding in report.findings
    )
    return replace(report, findings=findings)


def _pair(rich_report: Report) -> tuple[Report, Report, FindingRecord, FindingRecord]:
    old = replace(rich_report, generated_at="2026-02-01T08:00:00Z", extras={})
    old = _with_status(_with_status(old, "CRM-AUTH-004", Status.FAIL), "CRM-CFG-001", Status.FAIL)
    new = _with_status(_with_status(rich_report, "CRM-AUTH-004", Status.NOT_APPLICABLE), "CRM-CFG-001", Status.PASS)
    [gone] = [f for f in old.findings if f.check_id == "CRM-AUTH-004"]
    [fixed] = [f for f in old.findings if f.check_id == "CRM-CFG-001"]
    return old, new, gone, fixed


def test_fail_to_not_applicable_is_not_resolved(rich_report: Report) -> None:
    old, new, gone, fixed = _pair(rich_report)
    compared = comparison.compare(new, old)
    moved = diff_reports(old, new)
    assert [f.fingerprint for f in compared.unassessed] == [f.fingerprint for f in moved.unassessed]
    assert gone.fingerprint in {f.fingerprint for f in compared.unassessed}
    assert gone.fingerprint not in {f.fingerprint for f in compared.resolved}
    assert fixed.fingerprint in {f.fingerprint for f in compared.resolved}
    assert {f.fingerprint for f in compared.resolved} == {f.fingerprint for f in moved.resolved}
    assert {f.fingerprint for f in compared.new_failures} == {f.fingerprint for f in moved.new}

    page = render(new, "html", previous=old).decode("utf-8")
    unassessed = page.split("<h3>No longer assessed (absent, not applicable or manual: not a fix)", 1)[1]
    resolved = page.split("<h3>Resolved since then (now PASS)", 1)[1].split("<h3>", 1)[0]
    assert "CRM-AUTH-004" in unassessed.split("</ul>", 1)[0] and "CRM-AUTH-004" not in resolved
    summary = render(new, "md", previous=old).decode("utf-8")
    assert f"{len(moved.resolved)} resolved, {len(moved.unassessed)} no longer assessed." in summary


def test_crmsec_diff_prints_the_same_lists(
    rich_report: Report, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new, gone, _ = _pair(rich_report)
    (tmp_path / "old.json").write_bytes(old.to_bytes())
    (tmp_path / "new.json").write_bytes(new.to_bytes())
    with pytest.raises(SystemExit) as exited:
        main(["diff", str(tmp_path / "old.json"), str(tmp_path / "new.json"), "--format", "json"])
    assert exited.value.code in (0, None)
    printed = json.loads(capsys.readouterr().out)
    compared = comparison.compare(new, old)
    assert {f["fingerprint"] for f in printed["unassessed"]} == {f.fingerprint for f in compared.unassessed}
    assert {f["fingerprint"] for f in printed["resolved"]} == {f.fingerprint for f in compared.resolved}
    assert {f["fingerprint"] for f in printed["new"]} == {f.fingerprint for f in compared.new_failures}
    assert gone.fingerprint in {f["fingerprint"] for f in printed["unassessed"]}
