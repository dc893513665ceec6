"""`crmsec checks list|show`: the catalogue of checks, built-in and from plugins."""

from __future__ import annotations

from pathlib import Path

import click

from crmsec.cli import console
from crmsec.errors import InputError
from crmsec.plugin import Dimension
from crmsec.registry import load_catalogue
from crmsec.spelling import did_you_mean


@click.group(name="checks", help="List and show the checks crmsec knows.")
def command() -> None:
    """The checks group."""


@command.command(name="list")
@click.option("--format", "output", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--checks-dir", multiple=True, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--no-plugins", is_flag=True, help="Built-in checks only.")
@click.option("--dimension", help="Only checks of this dimension.")
def list_checks(output: str, checks_dir: tuple[Path, ...], no_plugins: bool, dimension: str | None) -> None:
    """List every check with id, severity, dimension and title."""
    names = [str(known) for known in Dimension]
    if dimension and dimension not in names:
        raise InputError(
            f"--dimension {dimension!r} is not a dimension{did_you_mean(dimension, names)}",
            hint="use one of: " + ", ".join(names),
        )
    catalogue = load_catalogue(plugins=not no_plugins, directories=checks_dir)
    specs = sorted(catalogue.checks.values(), key=lambda spec: spec.id)
    if dimension:
        specs = [spec for spec in specs if spec.dimension == dimension]
    if output == "json":
        console.out_json([spec.metadata() for spec in specs])
    else:
        console.out(f"{'ID':<14} {'SEVERITY':<9} {'DIMENSION':<23} {'SLUG':<36} TITLE")
        for spec in specs:
            console.out(f"{spec.id:<14} {spec.severity!s:<9} {spec.dimension!s:<23} {spec.slug:<36} {spec.title}")
        console.out(f"{len(specs)} checks")
    for problem in catalogue.problems:
        console.err(f"crmsec: warning: {problem.pack} failed to load: {problem.message}")


@command.command(name="show")
@click.argument("check_id")
@click.option("--checks-dir", multiple=True, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--no-plugins", is_flag=True, help="Built-in checks only.")
def show_check(check_id: str, checks_dir: tuple[Path, ...], no_plugins: bool) -> None:
    """Show one check's metadata."""
    spec = load_catalogue(plugins=not no_plugins, directories=checks_dir).get(check_id.upper())
    console.out(f"{spec.id}  {spec.slug}  ({spec.dimension}, {spec.severity})")
    console.out(f"  {spec.title}")
    console.out(f"Rationale:   {spec.rationale}")
    console.out(f"Remediation: {spec.remediation}")
    console.out(
        f"Evidence:    {', '.join(spec.requires) or '-'}"
        + (f" (optional: {', '.join(spec.optional)})" if spec.optional else "")
    )
    if spec.params:
        console.out("Parameters:  " + ", ".join(f"{name}={value!r}" for name, value in spec.params.items()))
    for framework, controls in sorted(spec.frameworks.items()):
        console.out(f"  {framework}: {', '.join(controls)}")
    for reference in spec.references:
        console.out(f"  see {reference}")
    console.out(f"Origin:      {spec.origin}")
