"""`crmsec merge DIR...`: combine per-org bundles of `scan --targets` into one signed fleet report."""

from __future__ import annotations

from pathlib import Path

import click

from crmsec.cli import console
from crmsec.cli.options import SEVERITY_CHOICE, ExitCode
from crmsec.evidence import timestamp, utc_now
from crmsec.fleet.attestation import sign_fleet
from crmsec.fleet.merge import FleetGate, build_fleet, find_records, load_results, missing_results
from crmsec.fleet.plan import load_plan
from crmsec.fleet.render import parse_fleet_formats, write_fleet
from crmsec.plugin import Severity

MERGE_HELP = """\b
Exit codes:
  0  every org and the fleet pass the gate
  1  the gate failed: an org scored under --fail-under, has a FAIL or
     ERROR at or above --fail-on, could not be scanned, or is missing
     (with --targets); or the fleet mean is under --fail-under
  2  input error: no bundles, an org in two folders, a report changed
     after its scan, an org not in --targets, a bad key
"""


@click.command(name="merge", help=f"Merge per-org report bundles (the --out folders of `scan --targets`, one per "
               f"shard) into one fleet report: fleet.json, fleet.md, fleet.html.\n\n{MERGE_HELP}")  # fmt: skip
@click.argument("folders", nargs=-1, required=True, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("crmsec-fleet"),
              show_default=True, help="Folder for fleet.json and its renderings.")  # fmt: skip
@click.option("--targets", "targets_file", type=click.Path(dir_okay=False, path_type=Path),
              help="The targets file: orgs it names that no folder holds count as missing (gate failed).")  # fmt: skip
@click.option("--fail-under", type=click.FloatRange(0, 100),
              help="Gate: an org, or the fleet mean, scoring under this fails.")  # fmt: skip
@click.option("--fail-on", type=SEVERITY_CHOICE,
              help="Gate: an org with a FAIL or ERROR at or above this severity fails.")  # fmt: skip
@click.option("--format", "formats", default=None, help="Comma-separated: json,md,html (default: all; json always).")
@click.option("--sign-key", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Ed25519 private key: writes fleet.dsse.json (passphrase from CRMSEC_KEY_PASSPHRASE).")  # fmt: skip
@click.option("--quiet", "-q", is_flag=True, help="Print only errors.")
@click.option("--output-format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Console summary as text, or the fleet gate as JSON.")  # fmt: skip
def command(
    folders: tuple[Path, ...],
    out_dir: Path,
    targets_file: Path | None,
    fail_under: float | None,
    fail_on: str | None,
    formats: str | None,
    sign_key: Path | None,
    quiet: bool,
    output_format: str,
) -> int:
    """Merge, render, sign, and gate."""
    chosen = parse_fleet_formats(formats)
    results = load_results(find_records(list(folders)))
    if targets_file is not None:
        results = sorted(
            [*results, *missing_results(results, load_plan(targets_file).names())],
            key=lambda result: str(result.record["name"]),
        )
    gate = FleetGate(fail_under=fail_under, fail_on=Severity(fail_on.lower()) if fail_on else None)
    fleet = build_fleet(results, gate, generated_at=timestamp(utc_now()))
    written = write_fleet(fleet, out_dir, chosen)
    if sign_key is not None:
        written.append(sign_fleet(out_dir, sign_key))
    summary = fleet["summary"]
    if output_format == "json":
        console.out_json({"gate": fleet["gate"], "summary": summary, "files": [str(path) for path in written]})
    elif not quiet:
        console.out(
            f"fleet: {summary['targets']} orgs ({summary['scanned']} scanned, {summary['failed']} failed, "
            f"{summary['missing']} missing), mean score {summary['mean_score']}, lowest {summary['min_score']}; "
            f"gate {'passed' if fleet['gate']['passed'] else 'FAILED'}"
        )
        for check in fleet["checks"][:5]:
            console.out(
                f"  {check['check_id']} {console.field(check['slug'])}: FAIL in {len(check['fail'])}, "
                f"ERROR in {len(check['error'])} of {check['targets_evaluated']} orgs"
            )
        for path in written:
            console.out(f"  wrote {console.field(path)}")
    return ExitCode.OK if fleet["gate"]["passed"] else ExitCode.GATE_FAILED
