"""`crmsec verify`: check a report.dsse.json offline, and that report.json and evidence.json are unchanged."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from crmsec import signing
from crmsec.cli import console

_FILE = click.Path(path_type=Path, exists=True, dir_okay=False)


@click.command("verify")
@click.argument("envelope", type=_FILE)
@click.option("--key", "key_path", required=True, type=_FILE, help="The signer's public key (KEY.pub).")
@click.option("--report", "report_path", type=_FILE, help="report.json to compare [default: next to ENVELOPE].")
@click.option("--evidence", "evidence_path", type=_FILE, help="evidence.json to compare [default: next to ENVELOPE].")
@click.option(
    "--output-format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="How to print what was signed.",
)
def command(
    envelope: Path, key_path: Path, report_path: Path | None, evidence_path: Path | None, output_format: str
) -> None:
    """Verify ENVELOPE with KEY.pub and print what was signed; a mismatch exits 1."""
    report = report_path or _beside(envelope, signing.REPORT_SUBJECT)
    evidence = evidence_path or _beside(envelope, signing.EVIDENCE_SUBJECT)
    verified = signing.verify_envelope(
        envelope, signing.load_public_key(key_path), report_path=report, evidence_path=evidence
    )
    checked = {signing.REPORT_SUBJECT: report, signing.EVIDENCE_SUBJECT: evidence}
    if output_format == "json":
        console.out_json(_as_json(verified, checked))
        return
    _print_text(verified, checked)


def _beside(envelope: Path, name: str) -> Path | None:
    candidate = envelope.with_name(name)
    return candidate if candidate.is_file() else None


def _as_json(verified: signing.VerifiedStatement, checked: dict[str, Path | None]) -> dict[str, Any]:
    return {
        "verified": True,
        "keyid": verified.keyid,
        "predicate": verified.predicate,
        "subjects": {
            name: {"sha256": digest, "checked": str(checked[name]) if checked.get(name) else None}
            for name, digest in sorted(verified.subjects.items())
        },
    }


def _print_text(verified: signing.VerifiedStatement, checked: dict[str, Path | None]) -> None:
    predicate = verified.predicate
    target = _mapping(predicate.get("target"))
    profile = _mapping(predicate.get("profile"))
    gate = _mapping(predicate.get("gate"))
    console.out(f"signature: valid, key {verified.keyid}")
    console.out(f"target:    {_text(target.get('platform'))} {_text(target.get('url'))}")
    console.out(f"profile:   {_text(profile.get('name'))} (sha256 {_text(profile.get('sha256'))})")
    console.out(f"generated: {_text(predicate.get('generated_at'))}")
    console.out(f"score:     {_text(predicate.get('score'))} (grade {_text(predicate.get('grade'))})")
    console.out(f"gate:      {'passed' if gate.get('passed') is True else 'failed'}")
    for name in (signing.REPORT_SUBJECT, signing.EVIDENCE_SUBJECT):
        path = checked[name]
        state = f"matches {path}" if path else "NOT CHECKED (file not given or not found next to the envelope)"
        console.out(f"{name + ':':<14} sha256 {_text(verified.subjects[name])} {state}")
    if not all(checked.values()):
        console.err("crmsec: note: only the signature was checked for files marked NOT CHECKED")


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str:
    """A signed value made safe for a terminal: control characters shown escaped."""
    text = "-" if value is None else str(value)
    return "".join(character if character.isprintable() else repr(character)[1:-1] for character in text)
