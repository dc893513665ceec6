"""The header's audit trail: the org, both evidence hashes labelled, and how to verify the signed report."""

from __future__ import annotations

from dataclasses import replace

from crmsec.render import render, view
from crmsec.report.model import Report

FILE_SHA256 = "ab" * 32


def test_an_older_report_says_unknown_and_not_recorded(rich_report: Report) -> None:
    assert "org" not in rich_report.evidence and "file_sha256" not in rich_report.evidence
    trail = view.audit_trail(rich_report)
    assert (trail.org_id, trail.org_name, trail.instance, trail.sandbox) == ("unknown",) * 4
    assert trail.evidence_file_sha256 == view.NOT_RECORDED
    page = render(rich_report, "html").decode("utf-8")
    assert f'<dt>Evidence SHA-256 of the file</dt><dd class="mono">{view.NOT_RECORDED}</dd>' in page
    assert f'<code class="command">{view.VERIFY_COMMAND}</code>' in page


def test_org_and_both_hashes_are_shown(rich_report: Report) -> None:
    evidence = {
        **rich_report.evidence,
        "file_sha256": FILE_SHA256,
        "org": {"id": "00D<b>", "name": "Acme & Co", "instance": "EU42", "is_sandbox": True},
    }
    report = replace(rich_report, evidence=evidence)
    page = render(report, "html").decode("utf-8")
    assert '<dd>Acme &amp; Co · id <span class="mono">00D&lt;b&gt;</span></dd>' in page
    assert "<dt>Sandbox</dt><dd>yes</dd>" in page and "<dt>Instance</dt><dd>EU42</dd>" in page
    canonical = str(rich_report.evidence["sha256"])
    assert page.index(FILE_SHA256) < page.index(canonical)
    assert "Evidence SHA-256 of canonical JSON (signed, in report.json)" in page
    summary = render(report, "md").decode("utf-8")
    assert f"evidence SHA-256 of the file {FILE_SHA256}" in summary
    assert f"SHA-256 of canonical JSON (signed, in report.json) {canonical}" in summary
    assert "sandbox yes" in summary and "Acme &amp; Co" in summary
    assert f"`{view.VERIFY_COMMAND}`" in summary
