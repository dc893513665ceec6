"""`crmsec pii scan FILE`: find PII columns in a CSV or JSON-lines export; values are only shown masked."""

from __future__ import annotations

from pathlib import Path

import click

from crmsec.cli import console
from crmsec.cli.console import field
from crmsec.pii import ColumnResult, scan_file


@click.group(name="pii")
def command() -> None:
    """Detect personal data in exported CRM records."""


@command.command(name="scan")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option(
    "--sample",
    type=click.IntRange(min=0),
    default=1000,
    show_default=True,
    help="Rows to sample at random (0 reads every row).",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the row sample (recorded in JSON).")
def scan(file: Path, output_format: str, sample: int, seed: int) -> None:
    """Classify every column of FILE (CSV with a header row, or JSON lines) by PII category."""
    results = scan_file(file, sample=sample, seed=seed)
    if output_format == "json":
        console.out_json([result.to_json() for result in results])
        return
    for line in _table(results):
        console.out(line)
    console.err(f"sampled up to {sample or 'all'} rows with seed {seed}; values shown masked")


def _table(results: list[ColumnResult]) -> list[str]:
    """The table lines; every cell is CRM data (a header names the field) and goes through `field`."""
    rows = [("FIELD", "CATEGORIES", "CONFIDENCE", "NON-EMPTY/SAMPLED", "MASKED EXAMPLES")]
    for result in results:
        confidence = ", ".join(f"{field(name)}={value:.2f}" for name, value in result.confidence.items())
        rows.append(
            (
                field(result.field),
                ", ".join(field(category) for category in result.categories) or "-",
                confidence or "-",
                f"{result.non_empty}/{result.sampled}",
                ", ".join(field(example) for example in result.masked_examples) or "-",
            )
        )
    widths = [max(len(row[index]) for row in rows) for index in range(4)]
    return [
        "  ".join([*(cell.ljust(width) for cell, width in zip(row[:4], widths, strict=True)), row[4]]).rstrip()
        for row in rows
    ]
