"""The terminal summary of a report: score per dimension, gate, top failures, where the files are.

Report values are CRM data: each goes through `console.field`, so none can print a line of its own.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

from crmsec.cli import console
from crmsec.cli.console import field
from crmsec.render.view import top_failure_groups
from crmsec.report.model import Report
from crmsec.report.verdict import coverage_wording, gate_state, gate_wording_of

_BAR = 20


def _bar(score: float | None) -> str:
    if score is None:
        return "·" * _BAR
    filled = round(score / 100 * _BAR)
    return "█" * filled + "░" * (_BAR - filled)


FALLBACK_SIZE = (160, 24)
"""Columns assumed when stdout is not a terminal and COLUMNS is unset (CI logs)."""
MIN_WIDTH = 40


def fit(line: str, width: int) -> str:
    """The line cut to the terminal width (never under MIN_WIDTH columns), with "…" where it was cut."""
    width = max(width, MIN_WIDTH)
    return line if len(line) <= width else line[: width - 1] + "…"


def print_summary(report: Report, files: Sequence[Path], *, output_format: str) -> None:
    """Print the summary as text or JSON."""
    scores = report.scores
    if output_format == "json":
        console.out_json(
            {
                "score": scores.overall,
                "grade": scores.grade,
                "passed_pass_mark": scores.passed,
                "gate": dict(report.gate),
                "gate_text": gate_wording_of(report.gate),
                "coverage": dict(report.coverage),
                "dimensions": {str(d.dimension): d.score for d in scores.dimensions},
                "files": [str(path) for path in files],
            }
        )
        return
    width = shutil.get_terminal_size(FALLBACK_SIZE).columns

    def emit(line: str) -> None:
        console.out(fit(line, width))

    target = report.target
    emit(
        f"crmsec {field(report.tool_version)}  {field(target['platform'])}  {field(target['url'])}  "
        f"profile {field(report.profile['name'])}"
    )
    shown = "n/a" if scores.overall is None else f"{scores.overall:.2f}"
    verdict = "at or above" if scores.passed else "below"
    emit(f"Score {shown}/100  grade {field(scores.grade)}  ({verdict} pass mark {scores.pass_mark:g})")
    coverage = report.coverage
    emit(f"Coverage: {field(coverage_wording(coverage))}, {field(coverage.get('errored', 0))} errored")
    for dimension in scores.dimensions:
        value = "  n/a" if dimension.score is None else f"{dimension.score:5.1f}"
        emit(f"  {field(dimension.dimension):<24} {value}  {_bar(dimension.score)}")
    failures, more = top_failure_groups(report)
    if failures:
        emit("Top failures:")
        for group in failures:  # one row per check, in the order report.md uses
            first = group.first
            emit(
                f"  {field(first.severity.upper()):<8} {field(first.status):<5} {field(group.check_id)}  "
                f"{field(group.resources_text())}: {field(group.message)}"
            )
        if more:
            emit(f"  … and {more} more failing check{'s' if more != 1 else ''} in the report")
    gate = report.gate
    console.out(gate_wording_of(gate))  # the verdict and the file path are never cut
    if gate_state(gate) == "unset":
        emit("  nothing can fail this run: set --fail-under, --fail-on or a gate in the profile")
    for reason in list(gate["reasons"])[:10]:
        emit(f"  - {field(reason)}")
    main = next((path for path in files if path.suffix == ".html"), files[0] if files else None)
    if main is not None:
        console.out(f"Report: {field(main)}")
