"""`crmsec diff OLD.json NEW.json`: new, resolved and changed findings, and the score change."""

from __future__ import annotations

from pathlib import Path

import click

from crmsec.cli import console
from crmsec.cli.console import field
from crmsec.cli.options import ExitCode
from crmsec.report.diff import diff_reports
from crmsec.report.model import load_report


def _score(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


@click.command(name="diff", help="Compare two reports. Exit 1 with --fail-on-new when new failures appeared.")
@click.argument("old", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("new", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--fail-on-new", is_flag=True, help="Exit 1 when NEW has failing findings that OLD did not.")
def command(old: Path, new: Path, output: str, fail_on_new: bool) -> int:
    """Print the difference."""
    old_report, new_report = load_report(old), load_report(new)
    if dict(old_report.target) != dict(new_report.target):
        console.err(
            f"crmsec: warning: the reports are of different targets ({field(old_report.target.get('url'))} and "
            f"{field(new_report.target.get('url'))}); findings are matched by check and resource only"
        )
    result = diff_reports(old_report, new_report)
    if output == "json":
        console.out_json(result.to_json())
    else:
        before, after = result.overall
        console.out(f"Score {_score(before)} -> {_score(after)}")
        for name, (was, now) in sorted(result.dimensions.items()):
            if was != now:
                console.out(f"  {field(name):<24} {_score(was)} -> {_score(now)}")
        sections = (("New", result.new), ("Resolved", result.resolved), ("No longer assessed", result.unassessed))
        for title, items in sections:
            console.out(f"{title}: {len(items)}")
            for finding in items[:50]:
                console.out(f"  {field(finding.check_id)}  {field(finding.resource)}: {field(finding.message)}"[:160])
        console.out(f"Changed: {len(result.changed)}")
        for was_finding, now_finding in result.changed[:50]:
            status_before = was_finding.original_status or was_finding.status
            status_after = now_finding.original_status or now_finding.status
            console.out(
                f"  {field(now_finding.check_id)}  {field(now_finding.resource)}: "
                f"{field(status_before)} -> {field(status_after)}"
            )
    return ExitCode.GATE_FAILED if fail_on_new and result.new else ExitCode.OK
