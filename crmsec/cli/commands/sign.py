"""`crmsec sign`: wrap report.json and evidence.json in a DSSE envelope (report.dsse.json)."""

from __future__ import annotations

from pathlib import Path

import click

from crmsec import signing
from crmsec.cli import console

_FILE = click.Path(path_type=Path, exists=True, dir_okay=False)


@click.command("sign")
@click.argument("report", type=_FILE)
@click.option("--key", "key_path", required=True, type=_FILE, help="Ed25519 private key (from `crmsec keygen`).")
@click.option("--evidence", "evidence_path", type=_FILE, help="Evidence file [default: evidence.json next to REPORT].")
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path, dir_okay=False),
    help=f"Envelope to write [default: {signing.ENVELOPE_NAME} next to REPORT].",
)
@click.option(
    "--passphrase-env",
    metavar="NAME",
    help=f"Variable holding the key's passphrase [default: ${signing.PASSPHRASE_VARIABLE} when set].",
)
def command(
    report: Path, key_path: Path, evidence_path: Path | None, out: Path | None, passphrase_env: str | None
) -> None:
    """Sign REPORT and its evidence; an auditor checks the result with `crmsec verify`."""
    evidence = evidence_path or report.with_name(signing.EVIDENCE_SUBJECT)
    if not evidence.is_file():
        raise click.BadParameter(f"{evidence} not found; pass --evidence", param_hint="--evidence")
    private_key = signing.load_private_key(key_path, signing.passphrase_from_environment(passphrase_env))
    envelope = signing.sign_report(report, evidence, private_key)
    envelope_path = out or report.with_name(signing.ENVELOPE_NAME)
    signing.write_envelope(envelope, envelope_path)
    console.out(f"signed {report} and {evidence}")
    console.out(f"envelope: {envelope_path}")
    console.out(f"keyid:    {signing.keyid(private_key.public_key())}")
