"""`crmsec fleet plan` (validate a targets file, show the shards) and `crmsec fleet verify` (a signed fleet report).

Scanning a fleet is `crmsec scan --targets FILE --shard I/N`, merging it `crmsec merge DIR...`; see docs/fleet.md.
"""

from __future__ import annotations

import json
import signal
import threading
from pathlib import Path
from types import FrameType
from typing import Any

import click

from crmsec.cli import console
from crmsec.cli.options import ExitCode
from crmsec.errors import InputError
from crmsec.fleet import shard as sharding
from crmsec.fleet.attestation import verify_fleet
from crmsec.fleet.labs import start_lab_fleet
from crmsec.fleet.plan import load_plan
from crmsec.signing import load_public_key

PLAN_HELP = """\b
Exit codes:
  0  the targets file is valid
  2  it is not (one line names the file, the target and the field)
"""


@click.group(name="fleet", help="Fleet scans: plan many orgs, then `scan --targets` and `merge` (docs/fleet.md).")
def command() -> None:
    """The fleet command group."""


@command.command(name="plan", help=f"Validate TARGETS (targets.yaml) and show what each shard scans.\n\n{PLAN_HELP}")
@click.argument("targets", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--shards", type=click.IntRange(1, sharding.MAX_SHARDS), default=1, show_default=True,
              help="Show which of N shards scans each org (shards count from 0).")  # fmt: skip
@click.option("--require-credentials", is_flag=True,
              help="Exit 2 when a referenced variable is unset or a credentials file is missing.")  # fmt: skip
@click.option("--output-format", type=click.Choice(["text", "json"]), default="text", show_default=True)
def plan(targets: Path, shards: int, require_credentials: bool, output_format: str) -> int:
    """Print the validated plan."""
    loaded = load_plan(targets)
    names = loaded.names()
    rows: list[dict[str, Any]] = []
    for planned in loaded.targets:
        row = planned.to_json()
        row["shard"] = f"{sharding.shard_of(names, planned.name, shards)}/{shards}"
        row["credentials_available"] = planned.credentials_available()
        rows.append(row)
    unavailable = [row["name"] for row in rows if not row["credentials_available"]]
    if output_format == "json":
        console.out_json({"targets_file": str(targets), "shards": shards, "targets": rows})
    else:
        console.out(f"{console.field(targets)}: {len(rows)} orgs in {shards} shard(s)")
        for row in rows:
            tags = ",".join(row["tags"]) or "-"
            state = "" if row["credentials_available"] else " (not available here)"
            console.out(
                f"  {row['shard']:>7}  {console.field(row['name'])}  {row['platform']}  {console.field(row['url'])}  "
                f"profile={console.field(row['profile'] or '(--profile)')}  tags={console.field(tags)}  "
                f"credentials={console.field(row['credentials'])}{state}"
            )
    if require_credentials and unavailable:
        raise InputError(
            f"{targets}: credentials of {len(unavailable)} org(s) are not available here, e.g. {unavailable[0]}",
            hint="export the variables or create the files the targets file names",
        )
    return ExitCode.OK


@command.command(name="verify", help="Verify a signed fleet report (fleet.dsse.json) against fleet.json; "
                 "a mismatch exits 1, an unusable file 2.")  # fmt: skip
@click.argument("envelope", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--key", "key_path", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The signer's public key (KEY.pub).")  # fmt: skip
@click.option("--fleet", "fleet_path", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The fleet.json to compare.")  # fmt: skip
def verify(envelope: Path, key_path: Path, fleet_path: Path) -> int:
    """Verify and print the signed fleet verdict."""
    predicate = verify_fleet(envelope, load_public_key(key_path), fleet_path)
    gate = predicate.get("gate", {})
    console.out(
        f"verified: {console.field(fleet_path)} is the signed fleet report: {predicate.get('targets')} orgs, "
        f"mean score {predicate.get('mean_score')}, gate {'passed' if gate.get('passed') else 'failed'}, "
        f"generated {console.field(predicate.get('generated_at'))}"
    )
    return ExitCode.OK


@command.command(
    name="lab",
    help="Serve N lab orgs on loopback (hardened, misconfigured and mixed in turn) and write OUT/targets.yaml "
    "for them; prints one JSON line {targets, orgs}, then serves until interrupted. For trying fleet scans and "
    "for bench/fleet_bench.py.",
)
@click.option("--orgs", type=click.IntRange(1, 500), default=20, show_default=True)
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("crmsec-fleet-lab"),
              show_default=True, help="Folder for targets.yaml and the orgs' credentials files (0600).")  # fmt: skip
@click.option("--latency-ms", type=click.FloatRange(0, 60_000), default=0.0, show_default=True)
@click.option("--users", type=click.IntRange(3, 100_000), default=20, show_default=True)
@click.option("--contacts", type=click.IntRange(1, 1_000_000), default=50, show_default=True)
@click.option("--no-tls-scan", is_flag=True, help="Write option tls_scan=false for every org (no sslyze scan).")
@click.option("--max-requests", type=click.IntRange(1), default=None, help="API budget of every org.")
def lab(
    orgs: int,
    out_dir: Path,
    latency_ms: float,
    users: int,
    contacts: int,
    no_tls_scan: bool,
    max_requests: int | None,
) -> int:
    """Serve a fleet of labs until SIGINT/SIGTERM."""
    stop = threading.Event()

    def _handle(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, _handle) for sig in (signal.SIGINT, signal.SIGTERM)}
    options = {"tls_scan": "false"} if no_tls_scan else None
    try:
        with start_lab_fleet(out_dir, orgs, latency_ms=latency_ms, users=users, contacts=contacts,
                             options=options, max_requests=max_requests) as targets:  # fmt: skip
            console.out(json.dumps({"targets": str(targets), "orgs": orgs}, sort_keys=True))
            while not stop.wait(0.5):
                pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return ExitCode.OK
