"""`crmsec profiles list|show`: built-in profiles and what a profile resolves to."""

from __future__ import annotations

import click

from crmsec.cli import console
from crmsec.profiles import builtin_profiles, load_profile


@click.group(name="profiles", help="List and show scoring profiles.")
def command() -> None:
    """The profiles group."""


@command.command(name="list")
def list_profiles() -> None:
    """List built-in profiles with their descriptions."""
    for name in builtin_profiles():
        profile = load_profile(name)
        console.out(f"{name:<12} {profile.description.strip()}")


@command.command(name="show")
@click.argument("reference")
def show_profile(reference: str) -> None:
    """Show a resolved profile (built-in name or file)."""
    profile = load_profile(reference)
    console.out(f"{profile.name}  sha256 {profile.sha256}")
    console.out(f"  from: {' <- '.join(profile.sources)}")
    console.out(f"  {profile.description.strip()}")
    console.out(f"  select: {dict(profile.select) or 'all checks'}")
    console.out(f"  parameters: {dict(profile.parameters) or '-'}")
    console.out(f"  severity weights: {dict(profile.severity_weights)}")
    console.out(f"  dimension weights: {dict(profile.dimension_weights) or 'all 1'}")
    console.out(
        f"  aggregation: {profile.aggregation}, fail-closed: {profile.fail_closed}, pass mark: {profile.pass_mark:g}"
    )
    console.out("  grades: " + ", ".join(f"{grade} >= {minimum:g}" for grade, minimum in profile.grades))
    console.out(f"  gate: fail_under={profile.fail_under} fail_on={profile.fail_on}")
    for waiver in profile.waivers:
        console.out(f"  waiver: {waiver.check} {waiver.resource} owner={waiver.owner} expires={waiver.expires}")
