"""`crmsec platforms list|show`: the platforms `--platform` accepts and the `--option`s each understands."""

from __future__ import annotations

import click

from crmsec.cli import console
from crmsec.connectors import available_platforms, load_connector
from crmsec.connectors.options import OptionSpec

_SHOW_HELP = """Show a platform's connector and the `--option KEY=VALUE` names it understands.

\b
Exit codes:
  0  shown
  2  unknown platform
"""


@click.group(name="platforms", help="List platforms and show their connector options.")
def command() -> None:
    """The platforms group."""


@command.command(name="list")
def list_platforms() -> None:
    """List the platforms, built-in and from the crmsec.connectors entry points."""
    for name, reference in available_platforms().items():
        console.out(f"{console.field(name):12} {console.field(reference)}")


@command.command(name="show", help=_SHOW_HELP)
@click.argument("name")
def show_platform(name: str) -> None:
    """Show one platform's options."""
    connector = load_connector(name)
    console.out(f"{console.field(name)}  connector {console.field(type(connector).__name__)} {connector.version}")
    spec = getattr(connector, "options", None)
    if not isinstance(spec, OptionSpec):
        console.out("  options: not declared by this connector")
        return
    for line in spec.help_lines():
        console.out(f"  {console.field(line)}")
