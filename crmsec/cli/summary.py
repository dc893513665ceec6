"""The terminal summary of a report: score per dimension, gate, top failures, where the files are.

Report values are CRM data: each goes through `console.field`, so none can print a line of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from crmsec.cli import console
from crmsec.cli.console import field
from crmsec.render.view import top_failures
from crmsec.report.model import Report
from crmsec.report.verdict import coverage_wording, gate_state, gate_wording_of

_BAR = 20


def _bar(score: float | None) -> str:
    if score is None:
        return "·" * _BAR
    filled = round(score / 100 * _BAR)
    return "█" * filled + "░" * (_BAR - filled)


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
                "coverage": dict(report.coverage),
                "dimensions": {str(d.dimension): d.score for d in scores.dimensions},
                "files": [str(path) for path in files],
            }
        )
        return
    target = report.target
    console.out(
        f"crmsec {field(report.tool_version)}  {field(target['platform'])}  {field(target['url'])}  "
        f"profile {field(report.profile['name'])}"
    )
    shown = "n/a" if scores.overall is None else f"{scores.overall:.2f}"
    verdict = "at or above" if scores.passed else "below"
    console.out(f"Score {shown}/100  grade {field(scores.grade)}  ({verdict} pass mark {scores.pass_mark:g})")
    coverage = report.coverage
    console.out(f"Coverage: {field(coverage_wording(coverage))}, {field(coverage.get('errored', 0))} errored")
    for dimension in scores.dimensions:
        value = "  n/a" if dimension.score is None else f"{dimension.score:5.1f}"
        console.out(f"  {field(dimension.dimension):<24} {value}  {_bar(dimension.score)}")
    failures = top_failures(report)
    if failures:
        console.out("Top failures:")
        for finding, _ in failures:
            console.out(
                f"  {field(finding.severity.upper()):<8} {field(finding.status):<5} {field(finding.check_id)}  "
                f"{field(finding.resource)}: {field(finding.message)}"[:160]
            )
    gate = report.gate
    console.out(gate_wording_of(gate))
    if gate_state(gate) == "unset":
        console.out("  nothing can fail this run: use --fail-under SCORE, --fail-on SEVERITY or the profile's gate")
    for reason in list(gate["reasons"])[:10]:
        console.out(f"  - {field(reason)}")
    main = next((path for path in files if path.suffix == ".html"), files[0] if files else None)
    if main is not None:
        console.out(f"Report: {field(main)}")
