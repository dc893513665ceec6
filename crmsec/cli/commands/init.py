"""`crmsec init`: write commented templates of every evaluation input file (survey, KPIs, costs, ...)."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import click

from crmsec.cli import console
from crmsec.errors import InputError
from crmsec.evaluation import INPUT_FILES


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
    existing = [name for name in names if (out_dir / name).exists()]
    if existing and not force:
        raise InputError(f"{out_dir}: {', '.join(existing)} already exist", hint="pass --force to replace them")
    out_dir.mkdir(parents=True, exist_ok=True)
    templates = files("crmsec.evaluation") / "templates"
    for name in names:
        (out_dir / name).write_text((templates / name).read_text(encoding="utf-8"), encoding="utf-8")
        console.out(f"wrote {out_dir / name}")
    console.out(f"Fill them in, then: crmsec evaluate evidence.json --inputs {out_dir}  (see docs/inputs.md)")
