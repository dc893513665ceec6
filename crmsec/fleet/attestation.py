"""Signed fleet reports: the same Ed25519 keys and DSSE envelopes as a single report, over fleet.json.

The envelope holds the RFC 8785 canonical bytes of an in-toto Statement v1 whose subjects are fleet.json
and every org's report.json and evidence.json (by the digests the scans recorded), and whose predicate
repeats the fleet verdict (orgs, mean score, gate and its settings, time). Verification needs the
envelope, the public key and fleet.json; fleet.json names each org's report digest, so a changed org
report no longer matches the signed fleet.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from crmsec import files
from crmsec.canonical import canonical_bytes, sha256_hex
from crmsec.errors import SigningError, VerificationError
from crmsec.signing import (
    STATEMENT_TYPE,
    load_private_key,
    passphrase_from_environment,
    read_envelope,
    sign_payload,
    verify_payload,
    write_envelope,
)

PREDICATE_TYPE = "https://crmsec.dev/attestation/fleet/v1"
FLEET_SUBJECT = "fleet.json"
ENVELOPE_NAME = "fleet.dsse.json"
MAX_FLEET_BYTES = 256 * 1024 * 1024
MAX_ENVELOPE_BYTES = 64 * 1024 * 1024


def fleet_predicate(fleet: dict[str, Any]) -> dict[str, Any]:
    """The verdict a fleet signature vouches for, taken from the fleet document."""
    gate = fleet["gate"]
    return {
        "generated_at": fleet["generated_at"],
        "targets": fleet["summary"]["targets"],
        "mean_score": fleet["summary"]["mean_score"],
        "gate": {
            "passed": gate["passed"],
            "fail_under": gate["fail_under"],
            "fail_on": gate["fail_on"],
            "failing_targets": gate["failing_targets"],
        },
    }


def build_statement(fleet_bytes: bytes) -> dict[str, Any]:
    """The in-toto statement over fleet.json (its bytes as written) and the org files it names."""
    fleet = _document(fleet_bytes, FLEET_SUBJECT, SigningError)
    subjects = [{"name": FLEET_SUBJECT, "digest": {"sha256": sha256_hex(fleet_bytes)}}]
    for target in fleet["targets"]:
        for name, key in (("report.json", "report_sha256"), ("evidence.json", "evidence_sha256")):
            if target.get(key):
                subjects.append({"name": f"{target['name']}/{name}", "digest": {"sha256": target[key]}})
    return {
        "_type": STATEMENT_TYPE,
        "subject": subjects,
        "predicateType": PREDICATE_TYPE,
        "predicate": fleet_predicate(fleet),
    }


def sign_fleet(out_dir: Path, key_path: Path) -> Path:
    """Sign out_dir/fleet.json with KEY (passphrase from CRMSEC_KEY_PASSPHRASE) into out_dir/fleet.dsse.json."""
    private_key = load_private_key(key_path, passphrase_from_environment(None))
    fleet_bytes = files.read_regular(out_dir / FLEET_SUBJECT, limit=MAX_FLEET_BYTES, error=SigningError)
    envelope = sign_payload(canonical_bytes(build_statement(fleet_bytes)), private_key)
    path = out_dir / ENVELOPE_NAME
    write_envelope(envelope, path)
    return path


def verify_fleet(envelope_path: Path, public_key: Ed25519PublicKey, fleet_path: Path) -> dict[str, Any]:
    """Verify a fleet envelope and that fleet.json is the signed one; returns the signed predicate.

    A bad signature, another statement type, a changed fleet.json or a predicate that fleet.json does not
    yield raises `VerificationError`.
    """
    envelope = read_envelope(envelope_path, limit=MAX_ENVELOPE_BYTES)
    statement = _document(verify_payload(envelope, public_key), str(envelope_path), VerificationError)
    if statement.get("_type") != STATEMENT_TYPE or statement.get("predicateType") != PREDICATE_TYPE:
        raise VerificationError(f"{envelope_path}: not a crmsec fleet statement ({PREDICATE_TYPE})")
    subjects = {
        subject.get("name"): subject.get("digest", {}).get("sha256")
        for subject in statement.get("subject", [])
        if isinstance(subject, dict) and isinstance(subject.get("digest"), dict)
    }
    fleet_bytes = files.read_regular(fleet_path, limit=MAX_FLEET_BYTES, error=SigningError)
    if subjects.get(FLEET_SUBJECT) != sha256_hex(fleet_bytes):
        raise VerificationError(f"{fleet_path}: sha256 differs from the signed {FLEET_SUBJECT} digest")
    predicate = statement.get("predicate")
    if predicate != fleet_predicate(_document(fleet_bytes, str(fleet_path), VerificationError)):
        raise VerificationError(f"{fleet_path}: the signed verdict is not the one fleet.json holds")
    return dict(predicate) if isinstance(predicate, dict) else {}


def _document(data: bytes, where: str, error: type[SigningError]) -> dict[str, Any]:
    try:
        document = json.loads(data)
    except (UnicodeDecodeError, ValueError, RecursionError) as problem:
        raise error(f"{where}: not a JSON document") from problem
    if not isinstance(document, dict):
        raise error(f"{where}: not a JSON object")
    return document
