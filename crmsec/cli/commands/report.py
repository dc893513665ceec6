"""`crmsec report REPORT.json --format ...`: re-render a saved report.json, offline."""

from __future__ import annotations

from pathlib import Path

import click

from crmsec.bundle import remove_stale_outputs
from crmsec.cli import console
from crmsec.cli.options import ExitCode, junit_fail_on_option
from crmsec.render import (
    DEFAULT_FORMATS,
    DEFAULT_SARIF_ANCHOR,
    FORMATS,
    check_renderable,
    parse_formats,
    write_each,
)
from crmsec.report.model import load_report
from crmsec.signing import ENVELOPE_NAME

_HELP = (
    f"""Render a saved report.json as {", ".join(FORMATS)}.

\b
Formats (comma-separated; default: {",".join(DEFAULT_FORMATS)}):
"""
    + "\n".join(f"  {entry.name:6} {entry.filename:17} {entry.description}" for entry in FORMATS.values())
    + """

\b
Exit codes:
  0  rendered
  2  the report file, the previous report or a flag is invalid (an unknown or broken plugin format)
  3  a format failed while rendering (the other formats are written)

More formats come from plugins: `crmsec formats` lists every one.
"""
)


@click.command(name="report", help=_HELP)
@click.argument("report_file", metavar="REPORT.json", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "formats",
    default=",".join(DEFAULT_FORMATS),
    show_default=True,
    metavar="LIST",
    help="Comma-separated formats: " + ", ".join(FORMATS) + " (or all).",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write into (default: the folder of REPORT.json).",
)
@click.option(
    "--previous",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="OLD.json",
    help="An earlier report.json to show the trend against (HTML, Markdown).",
)
@click.option(
    "--sarif-anchor",
    default=DEFAULT_SARIF_ANCHOR,
    show_default=True,
    metavar="PATH",
    help="Repository file (relative path) that SARIF results are anchored to.",
)
@junit_fail_on_option
def command(
    report_file: Path, formats: str, out_dir: Path | None, previous: Path | None, sarif_anchor: str, junit_fail_on: str
) -> int:
    """Render the report."""
    names = parse_formats(formats)
    check_renderable(names)  # pdf without Chromium: exit 2 before anything is written
    report = load_report(report_file)
    older = load_report(previous) if previous is not None else None
    target = out_dir if out_dir is not None else report_file.parent
    target.mkdir(parents=True, exist_ok=True)

    result = write_each(
        report,
        target,
        names,
        previous=older,
        sarif_anchor=sarif_anchor,
        junit_fail_on=junit_fail_on,
    )
    # As `scan` does: a format an earlier run wrote and this one did not is removed, not left behind with old
    # content and permissions. The envelope stays: it signs report.json and evidence.json, which this leaves alone.
    # A format that failed is removed with them (its old file would look current), then its error is raised.
    remove_stale_outputs(target, keep=[*result.written, target / ENVELOPE_NAME])
    for path in result.written:
        console.out(str(path))
    result.raise_failures()
    return ExitCode.OK
