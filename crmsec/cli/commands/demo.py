"""`crmsec demo`: start the Salesforce lab on loopback, scan it over real TLS, write and sign the bundle."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from crmsec.cli import console
from crmsec.cli.options import ExitCode, identities_option
from crmsec.cli.pipeline import RunSettings, collect_snapshot, evaluate_and_write, prepare_run
from crmsec.errors import InputError
from crmsec.lab import SCENARIOS, LabConfig, start_lab
from crmsec.signing import generate_keypair, public_key_path
from crmsec.target import Secret, Target


def _demo_inputs() -> Path | None:
    """The bundled synthetic evaluation inputs (survey, KPIs, costs, ...), when this build ships them."""
    from crmsec import resources

    folder = resources.package_folder("evaluation/demo_inputs")
    return folder if folder is not None and any(folder.iterdir()) else None


KEY_NAME = "demo-signing-key"


@contextmanager
def _quiet_bundled_input_warnings() -> Iterator[None]:
    """Silence warnings about the bundled demo inputs: the user never gave those files, so a warning naming
    `survey.csv` would send them looking for a file they do not have. The report still counts what was skipped."""
    evaluation = logging.getLogger("crmsec.evaluation")
    level = evaluation.level
    evaluation.setLevel(logging.ERROR)
    try:
        yield
    finally:
        evaluation.setLevel(level)


def _key_folder(out_dir: Path, key_dir: Path | None) -> Path:
    """Where the demo's key pair goes: `--key-dir`, else `<out>-keys` beside the bundle; never inside it, since
    a bundle is what people hand over and a private key must not travel with it."""
    folder = key_dir if key_dir is not None else out_dir.parent / f"{out_dir.name}-keys"
    if folder.resolve() == out_dir.resolve() or folder.resolve().is_relative_to(out_dir.resolve()):
        raise InputError(
            f"--key-dir {folder}: inside the report bundle {out_dir}", hint="choose a folder outside --out"
        )
    return folder


def _remove_old_key(out_dir: Path, *, quiet: bool) -> None:
    """Earlier versions wrote the private key into the bundle: remove that copy (only our own file names)."""
    for name in (KEY_NAME, f"{KEY_NAME}.pub"):
        old = out_dir / name
        if old.is_file() or old.is_symlink():
            old.unlink()
            if not quiet:
                console.err(f"crmsec demo: removed {old} left by an earlier demo (keys now live outside the bundle)")


@click.command(name="demo", help="Scan a local Salesforce-compatible lab over real TLS and write a signed report.")
@click.option(
    "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("crmsec-demo"), show_default=True
)
@click.option("--scenario", type=click.Choice(sorted(SCENARIOS)), default="misconfigured", show_default=True)
@click.option("--users", type=click.IntRange(3, 100_000), default=300, show_default=True)
@click.option("--profile", default="baseline", show_default=True, help="Built-in profile name or YAML file.")
@click.option("--format", "formats", default=None, help="Formats to render (default: all but pdf).")
@click.option("--quiet", "-q", is_flag=True, help="Print only errors.")
@click.option("--no-plugins", is_flag=True, help="Run built-in checks only (skip entry-point packs).")
@click.option(
    "--key-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for the throwaway signing key pair (default: OUT-keys next to the bundle, never inside it).",
)
@identities_option
def command(
    out_dir: Path,
    scenario: str,
    users: int,
    profile: str,
    formats: str | None,
    quiet: bool,
    key_dir: Path | None,
    no_plugins: bool,
    show_identities: bool,
) -> int:
    """Run the demo."""
    keys = _key_folder(out_dir, key_dir)
    # a bad --profile or --format (pdf without Chromium included) stops here, before the lab starts
    prepared = prepare_run(RunSettings(profile=profile, formats=formats, no_plugins=no_plugins))
    with start_lab(LabConfig(scenario=scenario, users=users)) as lab:
        target = Target(platform="salesforce", url=lab.url, secret=Secret(lab.token), ca_bundle=Path(lab.ca_bundle))
        if not quiet:
            console.err(f"crmsec demo: lab '{scenario}' with {users} users at {lab.url} (throwaway CA, real TLS)")
        snapshot, seconds = collect_snapshot(target, quiet=quiet, show_identities=show_identities)
    out_dir.mkdir(parents=True, exist_ok=True)
    keys.mkdir(mode=0o700, parents=True, exist_ok=True)
    key = keys / KEY_NAME
    generate_keypair(key, passphrase=None, force=True)
    _remove_old_key(out_dir, quiet=quiet)
    settings = RunSettings(
        profile=profile,
        out_dir=out_dir,
        inputs=_demo_inputs(),
        formats=formats,
        sign_key=key,
        quiet=quiet,
        no_plugins=no_plugins,
    )
    if settings.inputs is not None and not quiet:
        console.err(
            "crmsec demo: evaluation inputs: the bundled synthetic survey, KPIs, costs, incidents and requirements "
            "(the survey's deliberately unusable rows are counted in the report's survey_rejected_rows)"
        )
    with _quiet_bundled_input_warnings():
        evaluate_and_write(snapshot, settings, collect_seconds=seconds, prepared=prepared)
    if not quiet:
        console.out(
            f"Verify: crmsec verify {out_dir / 'report.dsse.json'} --key {public_key_path(key)} "
            f"--report {out_dir / 'report.json'} --evidence {out_dir / 'evidence.json'}"
        )
    return ExitCode.OK
