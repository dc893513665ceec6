"""`crmsec evaluate`: evaluate a saved snapshot offline, without credentials or network."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from crmsec.cli.commands.scan import settings_from
from crmsec.cli.options import EXIT_CODES_HELP, evaluation_options
from crmsec.cli.pipeline import evaluate_and_write, prepare_run
from crmsec.evidence import load_snapshot


@click.command(
    name="evaluate", help=f"Evaluate an evidence snapshot offline and write the report bundle.\n\n{EXIT_CODES_HELP}"
)
@click.argument("evidence", type=click.Path(dir_okay=False, path_type=Path))
@evaluation_options
def command(evidence: Path, **arguments: Any) -> int:
    """Evaluate a snapshot."""
    settings = settings_from(arguments)
    prepared = prepare_run(settings)
    snapshot = load_snapshot(evidence)
    return evaluate_and_write(snapshot, settings, collect_seconds=None, prepared=prepared)
