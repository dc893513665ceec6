"""`crmsec schema NAME`: print a bundled JSON Schema (evidence, report, profile, check, ...)."""

from __future__ import annotations

import click

from crmsec import resources
from crmsec.cli import console


@click.command(name="schema", help="Print a JSON Schema: " + ", ".join(resources.schema_names()) + ".")
@click.argument("name", type=click.Choice(resources.schema_names()))
def command(name: str) -> None:
    """Print the schema."""
    console.out_json(resources.schema(name))
