"""`crmsec init`: write commented templates of every evaluation input file (survey, KPIs, costs, ...)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import click

from crmsec.cli import console
from crmsec.errors import InputError
from crmsec.evaluation import INPUT_FILES
from crmsec.files import write_output


@click.command("init", help="Write commented templates of the evaluation inputs (use them with --inputs DIR).")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("crmsec-inputs"),
    show_default=True,
    help="Folder to write survey.csv, requirements.yaml, kpis.yaml, costs.yaml and incidents.csv into.",
)
@click.option("--force", is_flag=True, help="Replace files that already exist.")
def command(out_dir: Path, force: bool) -> None:
    """Write the templates; refuses to overwrite an existing file without --force."""
    names = [name for name, _ in INPUT_FILES.values()]
    existing = [name for name in names if (out_dir / name).exists() or (out_dir / name).is_symlink()]
    if existing and not force:
        raise InputError(f"{out_dir}: {', '.join(existing)} already exist", hint="pass --force to replace them")
    templates = resources.files("crmsec.evaluation") / "templates"
    for name in names:
        # Atomic and symlink-safe: a link at the name is replaced, never written through (0644: templates).
        write_output(out_dir / name, (templates / name).read_bytes(), mode=0o644)
        console.out(f"wrote {out_dir / name}")
    console.out(f"Fill them in, then: crmsec evaluate evidence.json --inputs {out_dir}  (see docs/inputs.md)")
