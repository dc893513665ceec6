"""`crmsec collect`: collect evidence only and write the snapshot (evaluate it later, offline)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from crmsec.cli import console
from crmsec.cli.options import EXIT_CODES_HELP, identities_option, target_options
from crmsec.cli.pipeline import build_target, collect_snapshot
from crmsec.evidence import save_snapshot


@click.command(
    name="collect", help=f"Collect evidence from a CRM into one JSON snapshot (no judging).\n\n{EXIT_CODES_HELP}"
)
@target_options
@identities_option
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("evidence.json"),
    show_default=True,
    help="Where to write the snapshot (mode 0600).",
)
@click.option("--quiet", "-q", is_flag=True, help="Print only errors.")
def command(output: Path, quiet: bool, show_identities: bool, **arguments: Any) -> None:
    """Collect and save a snapshot."""
    target = build_target(**arguments)
    snapshot, seconds = collect_snapshot(target, quiet=quiet, show_identities=show_identities)
    save_snapshot(snapshot, output)
    if not quiet:
        errors = sum(1 for item in snapshot.items.values() if item.error is not None)
        console.out(
            f"{output}: {len(snapshot.items)} evidence items ({errors} with errors), "
            f"{snapshot.metadata.api_calls} API calls, {seconds:.1f} s, sha256 {snapshot.sha256}"
        )
