"""`crmsec history DIR...`: score over time per dimension, for periodic re-evaluation."""

from __future__ import annotations

from pathlib import Path

import click

from crmsec.cli import console
from crmsec.cli.console import field
from crmsec.cli.pipeline import report_path
from crmsec.report.diff import history_points
from crmsec.report.model import load_report


@click.command(name="history", help="Summarise a series of reports (folders holding report.json, or files).")
@click.argument("locations", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True)
def command(locations: tuple[Path, ...], output: str) -> None:
    """Print the trend."""
    points = history_points([load_report(report_path(location)) for location in locations])
    if output == "json":
        console.out_json(points)
        return
    dimensions = sorted({name for point in points for name in point["dimensions"]})
    targets = sorted({field(point["target"]) for point in points})
    if len(targets) > 1:
        console.err(f"crmsec: warning: the reports cover {len(targets)} targets: {', '.join(targets)}")
    console.out(
        f"{'generated_at':<22} {'score':>6} grade  " + " ".join(f"{field(name)[:10]:>10}" for name in dimensions)
    )
    for point in points:
        scores = point["dimensions"]
        cells = " ".join(
            f"{'n/a' if scores.get(name) is None else format(scores[name], '.1f'):>10}" for name in dimensions
        )
        overall = "n/a" if point["overall"] is None else f"{point['overall']:.1f}"
        console.out(f"{field(point['generated_at']):<22} {overall:>6} {field(point['grade']):<5}  {cells}")
