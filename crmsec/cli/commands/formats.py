"""`crmsec formats`: the report formats `--format` accepts, built-in and plugin, and plugins left out."""

from __future__ import annotations

import click

from crmsec.cli import console
from crmsec.cli.options import ExitCode
from crmsec.render import DEFAULT_FORMATS
from crmsec.render.formats import ENTRY_POINT_GROUP, loaded_registry

_HELP = f"""List the report formats: name, file, where it comes from, what it is for.

Plugins add formats through the entry-point group {ENTRY_POINT_GROUP} (see docs/reports.md). A plugin that
cannot be loaded is listed with the reason; a scan fails on it (exit 2) only when --format asks for it.

\b
Exit codes:
  0  listed
"""


@click.command(name="formats", help=_HELP)
def command() -> int:
    """List the formats."""
    registry = loaded_registry()
    for entry in registry.formats.values():
        notes = [entry.origin]
        if entry.name in DEFAULT_FORMATS:
            notes.append("default")
        if entry.needs_chromium:
            notes.append("needs Chromium")
        console.out(
            f"{console.field(entry.name):8} {console.field(entry.filename):18} {console.field(entry.description)}"
            f" ({console.field(', '.join(notes))})"
        )
    for name, reason in registry.broken.items():
        console.out(f"{console.field(name):8} {'-':18} not usable: {console.field(reason)}")
    return ExitCode.OK
