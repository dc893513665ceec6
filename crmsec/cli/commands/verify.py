"""`crmsec verify`: check a report.dsse.json offline against the report.json and evidence.json it names.

Only the files named on the command line are compared: an auditor states which report they are
auditing, and nothing is picked up implicitly. With neither `--report` nor `--evidence`, verification
needs an explicit `--signature-only`, and the output then says that no file was compared.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from crmsec import signing
from crmsec.attestation import Verdict
from crmsec.cli import console
from crmsec.report.verdict import gate_wording

_FILE = click.Path(path_type=Path, exists=True, dir_okay=False)
_NOTHING_TO_COMPARE = (
    "nothing to compare: pass --report REPORT.json and/or --evidence EVIDENCE.json, "
    "or --signature-only to check the signature alone"
)


@click.command("verify")
@click.argument("envelope", type=_FILE)
@click.option("--key", "key_path", required=True, type=_FILE, help="The signer's public key (KEY.pub).")
@click.option("--report", "report_path", type=_FILE, help="report.json to compare: digest and signed verdict.")
@click.option("--evidence", "evidence_path", type=_FILE, help="evidence.json to compare: digest.")
@click.option(
    "--signature-only",
    is_flag=True,
    help="Check only the signature and print what was signed; no file is compared.",
)
@click.option(
    "--output-format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="How to print what was signed.",
)
def command(
    envelope: Path,
    key_path: Path,
    report_path: Path | None,
    evidence_path: Path | None,
    signature_only: bool,
    output_format: str,
) -> None:
    """Verify ENVELOPE with KEY.pub against --report/--evidence and print the signed verdict; a mismatch exits 1.

    With --report, the score, grade and gate signed in ENVELOPE must also be the ones report.json holds.
    """
    if signature_only and (report_path or evidence_path):
        raise click.UsageError("--signature-only compares no file: drop it, or drop --report/--evidence")
    if not (signature_only or report_path or evidence_path):
        raise click.UsageError(_NOTHING_TO_COMPARE)
    verified = signing.verify_envelope(
        envelope, signing.load_public_key(key_path), report_path=report_path, evidence_path=evidence_path
    )
    compared = {signing.REPORT_SUBJECT: report_path, signing.EVIDENCE_SUBJECT: evidence_path}
    if output_format == "json":
        console.out_json(_as_json(verified, compared))
        return
    _print_text(verified, compared)


def _as_json(verified: signing.VerifiedStatement, compared: dict[str, Path | None]) -> dict[str, Any]:
    verdict = verified.verdict
    return {
        "verified": True,
        "signature_only": not any(compared.values()),
        "keyid": verified.keyid,
        "verdict": {
            "score": verdict.score,
            "grade": verdict.grade,
            "gate": _gate_state(verdict),
            "gate_text": _gate_text(verdict),
            "fail_under": verdict.fail_under,
            "fail_on": verdict.fail_on,
            "matches_report": verified.report_checked,
        },
        "predicate": verified.predicate,
        "subjects": {
            name: {"sha256": digest, "checked": str(compared[name]) if compared.get(name) else None}
            for name, digest in sorted(verified.subjects.items())
        },
    }


def _gate_state(verdict: Verdict) -> str:
    if verdict.gate_set is False:
        return "not set"
    return "passed" if verdict.gate_passed else "failed"


def _describe_verdict(verdict: Verdict) -> str:
    """One line: score, grade and gate, e.g. `score 61.25, grade D, Gate failed (fail-under 70 from the profile)`."""
    score = "none (no check could decide)" if verdict.score is None else _text(verdict.score)
    return f"score {score}, grade {_text(verdict.grade)}, {_text(_gate_text(verdict))}"


def _gate_text(verdict: Verdict) -> str:
    """The gate in the words every surface uses (`crmsec.report.verdict.gate_wording`)."""
    return gate_wording(
        passed=verdict.gate_passed,
        fail_under=verdict.fail_under,
        fail_on=verdict.fail_on,
        baseline=verdict.baseline,
        fail_under_from=verdict.fail_under_from,
        fail_on_from=verdict.fail_on_from,
        settings_recorded=verdict.gate_set is not None,
    )


def _print_text(verified: signing.VerifiedStatement, compared: dict[str, Path | None]) -> None:
    predicate = verified.predicate
    target = _mapping(predicate.get("target"))
    profile = _mapping(predicate.get("profile"))
    console.out(f"signature: valid, key {verified.keyid}")
    console.out(f"target:    {_text(target.get('platform'))} {_text(target.get('url'))}")
    console.out(f"profile:   {_text(profile.get('name'))} (sha256 {_text(profile.get('sha256'))})")
    console.out(f"generated: {_text(predicate.get('generated_at'))}")
    source = "signed, and the same in the report" if verified.report_checked else "signed; report NOT COMPARED"
    console.out(f"verdict:   {_describe_verdict(verified.verdict)} [{source}]")
    for name in (signing.REPORT_SUBJECT, signing.EVIDENCE_SUBJECT):
        path = compared[name]
        state = f"matches {_text(path)}" if path else "NOT COMPARED (no file given)"
        console.out(f"{name + ':':<14} sha256 {_text(verified.subjects[name])} {state}")
    if not any(compared.values()):
        console.out("files:     none compared (--signature-only): only the signature was verified")
    elif not all(compared.values()):
        console.err("crmsec: note: files marked NOT COMPARED were not checked; only the signature covers them")


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str:
    """A signed value made safe for a terminal: control and bidi characters shown as U+FFFD, as everywhere else."""
    return "-" if value is None else console.field(value)
