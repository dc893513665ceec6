"""Signed reports: Ed25519 keys, DSSE envelopes over an in-toto statement, offline verification.

What is signed is the RFC 8785 canonical bytes of an in-toto Statement v1 whose subjects are the sha256
digests of report.json and evidence.json (their bytes as written) and whose predicate repeats the verdict
(target, profile, score, grade, gate outcome and settings, time). The statement travels in a DSSE envelope
(https://github.com/secure-systems-lab/dsse): the signature covers PAE(payloadType, payload), so neither
the payload nor its type can be swapped. Verification needs only the envelope, the public key and the
files to compare: no network, no crmsec report model. Given report.json, it also checks that the signed
predicate is the one the report yields (`crmsec.attestation`), so the verdict an auditor reads is the
report's.

`keyid` is the lower-case hex sha256 of the public key's DER SubjectPublicKeyInfo, which
`openssl pkey -pubin -in KEY.pub -outform DER | sha256sum` reproduces. Like DSSE says, it only
narrows the choice of key; the signature decides.

Keys (generate, load, passphrases) live in `crmsec.signing_keys` and are re-exported here.

Errors: unusable key files raise `SigningError`; a signature, type, digest or verdict that does not
match, or a malformed envelope, raises `VerificationError`; an existing key without `force` raises
`InputError`.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from crmsec import files
from crmsec.attestation import Verdict, compare_predicate, report_predicate, signed_verdict
from crmsec.canonical import canonical_bytes, sha256_hex
from crmsec.errors import SigningError, VerificationError

# re-exported: the key functions are part of this module's API
from crmsec.signing_keys import (
    MAX_KEY_BYTES as MAX_KEY_BYTES,
)
from crmsec.signing_keys import (
    PASSPHRASE_VARIABLE as PASSPHRASE_VARIABLE,
)
from crmsec.signing_keys import (
    generate_keypair as generate_keypair,
)
from crmsec.signing_keys import (
    load_private_key as load_private_key,
)
from crmsec.signing_keys import (
    load_public_key as load_public_key,
)
from crmsec.signing_keys import (
    passphrase_from_environment as passphrase_from_environment,
)
from crmsec.signing_keys import (
    public_key_path as public_key_path,
)

PAYLOAD_TYPE = "application/vnd.in-toto+json"
STATEMENT_TYPE = "https://in-toto.io/Statement/v1"
PREDICATE_TYPE = "https://crmsec.dev/attestation/report/v1"
REPORT_SUBJECT = "report.json"
EVIDENCE_SUBJECT = "evidence.json"
ENVELOPE_NAME = "report.dsse.json"
MAX_ENVELOPE_BYTES = 16 * 1024 * 1024
MAX_REPORT_BYTES = 512 * 1024 * 1024
_CHUNK = 1024 * 1024


@dataclass(frozen=True, slots=True)
class VerifiedStatement:
    """What a verified envelope vouches for, and which of the signed files were compared to disk.

    `report_checked` means the report's bytes match the signed digest and the signed predicate (verdict
    included) is the one those bytes yield.
    """

    keyid: str
    subjects: dict[str, str]
    predicate: dict[str, Any]
    verdict: Verdict
    report_checked: bool
    evidence_checked: bool


# -- DSSE ----------------------------------------------------------------------------------------------


def pae(payload_type: str, payload: bytes) -> bytes:
    """DSSE pre-authentication encoding: "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body (byte lengths)."""
    encoded_type = payload_type.encode("utf-8")
    return b"DSSEv1 %d %b %d %b" % (len(encoded_type), encoded_type, len(payload), payload)


def keyid(public_key: Ed25519PublicKey) -> str:
    """The key's id: hex sha256 of its DER SubjectPublicKeyInfo."""
    der = public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return sha256_hex(der)


def sign_payload(payload: bytes, private_key: Ed25519PrivateKey, *, payload_type: str = PAYLOAD_TYPE) -> dict[str, Any]:
    """Sign bytes into a DSSE envelope (standard base64, one signature carrying our keyid)."""
    signature = private_key.sign(pae(payload_type, payload))
    return {
        "payload": base64.b64encode(payload).decode("ascii"),
        "payloadType": payload_type,
        "signatures": [{"keyid": keyid(private_key.public_key()), "sig": base64.b64encode(signature).decode("ascii")}],
    }


def verify_payload(envelope: Any, public_key: Ed25519PublicKey, *, payload_type: str = PAYLOAD_TYPE) -> bytes:
    """Check a DSSE envelope against one public key and return the payload bytes it vouches for.

    A signature whose keyid names another key is not tried; one without a keyid is. Either base64
    alphabet is accepted, as DSSE requires. Anything else raises `VerificationError`.
    """
    if not isinstance(envelope, dict):
        raise VerificationError("envelope: not a JSON object")
    claimed_type = envelope.get("payloadType")
    if claimed_type != payload_type:
        raise VerificationError(f"envelope: payloadType {claimed_type!r} is not {payload_type!r}")
    payload = _decode_base64(envelope.get("payload"), "payload")
    signatures = envelope.get("signatures")
    if not isinstance(signatures, list) or not signatures:
        raise VerificationError("envelope: no signatures")
    expected_id = keyid(public_key)
    message = pae(payload_type, payload)
    for position, entry in enumerate(signatures):
        if not isinstance(entry, dict):
            raise VerificationError(f"envelope: signatures[{position}] is not an object")
        if entry.get("keyid", expected_id) != expected_id:
            continue
        try:
            public_key.verify(_decode_base64(entry.get("sig"), f"signatures[{position}].sig"), message)
        except InvalidSignature:
            continue
        return payload
    raise VerificationError(f"envelope: no valid signature by key {expected_id}")


def _decode_base64(value: Any, field: str) -> bytes:
    if not isinstance(value, str):
        raise VerificationError(f"envelope: {field} is not a base64 string")
    standard = value.replace("-", "+").replace("_", "/")
    try:
        return base64.b64decode(standard + "=" * (-len(standard) % 4), validate=True)
    except (binascii.Error, ValueError) as error:
        raise VerificationError(f"envelope: {field} is not valid base64") from error


# -- keys ----------------------------------------------------------------------------------------------


def file_sha256(path: Path, *, limit: int = MAX_REPORT_BYTES) -> str:
    """The hex sha256 of a regular file's bytes, read in chunks; an unreadable, non-regular (FIFO, device)
    or larger than `limit` file raises `SigningError`."""
    hasher = hashlib.sha256()
    with files.open_regular(path, limit=limit, error=SigningError) as handle:
        try:
            for chunk in files.capped_chunks(handle, path, limit=limit, error=SigningError, size=_CHUNK):
                hasher.update(chunk)
        except OSError as error:
            raise SigningError(f"{path}: cannot read ({error.strerror or type(error).__name__})") from error
    return hasher.hexdigest()


def build_statement(report_bytes: bytes, evidence_sha256: str, *, report_name: str = REPORT_SUBJECT) -> dict[str, Any]:
    """The in-toto Statement v1 for a report (its bytes as written) and the evidence file's sha256."""
    try:
        report = json.loads(report_bytes, parse_constant=_refuse_constant)
    except (UnicodeDecodeError, ValueError) as error:
        raise SigningError(f"{report_name}: not a JSON document ({error})") from error
    return {
        "_type": STATEMENT_TYPE,
        "subject": [
            {"name": REPORT_SUBJECT, "digest": {"sha256": sha256_hex(report_bytes)}},
            {"name": EVIDENCE_SUBJECT, "digest": {"sha256": evidence_sha256}},
        ],
        "predicateType": PREDICATE_TYPE,
        "predicate": report_predicate(report, report_name),
    }


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def sign_report(report_path: Path, evidence_path: Path, private_key: Ed25519PrivateKey) -> dict[str, Any]:
    """Sign report.json and evidence.json: a DSSE envelope over the canonical in-toto statement.

    The report is read once, so the digest and the predicate come from the same bytes.
    """
    report_bytes = _read_capped(report_path, SigningError, limit=MAX_REPORT_BYTES)
    statement = build_statement(report_bytes, file_sha256(evidence_path), report_name=str(report_path))
    try:
        payload = canonical_bytes(statement)
    except ValueError as error:
        raise SigningError(f"{report_path}: cannot canonicalize the statement ({error})") from error
    return sign_payload(payload, private_key)


def _read_capped(path: Path, error_type: type[SigningError], *, limit: int) -> bytes:
    return files.read_regular(path, limit=limit, error=error_type)


def write_envelope(envelope: dict[str, Any], path: Path) -> None:
    """Write an envelope as JSON (sorted keys, two-space indent), replacing `path` atomically (0644: it is public)."""
    data = (json.dumps(envelope, indent=2, sort_keys=True) + "\n").encode("utf-8")
    try:
        files.write_atomic(path, data, mode=0o644)
    except OSError as error:
        raise SigningError(f"{path}: cannot write ({error.strerror or type(error).__name__})") from error


def sign_bundle(out_dir: Path, key_path: Path, *, passphrase_env: str | None = None) -> Path:
    """Sign out_dir/report.json and out_dir/evidence.json with KEY into out_dir/report.dsse.json.

    The one call behind `--sign-key`; the passphrase follows `passphrase_from_environment(passphrase_env)`.
    """
    private_key = load_private_key(key_path, passphrase_from_environment(passphrase_env))
    envelope = sign_report(out_dir / REPORT_SUBJECT, out_dir / EVIDENCE_SUBJECT, private_key)
    envelope_path = out_dir / ENVELOPE_NAME
    write_envelope(envelope, envelope_path)
    return envelope_path


def read_envelope(envelope_path: Path, *, limit: int = MAX_ENVELOPE_BYTES) -> Any:
    """The envelope file, parsed: a FIFO, device, oversized or too deeply nested file is a `SigningError`
    (an input error), a file that is not JSON a `VerificationError` (nothing here was signed)."""
    raw = _read_capped(envelope_path, SigningError, limit=limit)
    try:
        return json.loads(raw, parse_constant=_refuse_constant)
    except (UnicodeDecodeError, ValueError) as error:
        raise VerificationError(f"{envelope_path}: not a JSON envelope") from error
    except RecursionError as error:  # no DSSE envelope nests: an input error, not a verdict on a signature
        raise SigningError(f"{envelope_path}: nested too deeply to be a DSSE envelope") from error


def verify_envelope(
    envelope_path: Path,
    public_key: Ed25519PublicKey,
    *,
    report_path: Path | None = None,
    evidence_path: Path | None = None,
) -> VerifiedStatement:
    """Verify an envelope file offline and, when given, that report.json and evidence.json are unchanged.

    With `report_path`, the signed predicate (score, grade, gate, target, profile, time) must also be the
    one the report yields. Without either path only the signature is checked: `report_checked` and
    `evidence_checked` say so, and callers must tell their users. Any mismatch, and any malformed
    envelope or statement, raises `VerificationError`.
    """
    envelope = read_envelope(envelope_path)
    statement = _parse_statement(verify_payload(envelope, public_key), envelope_path)
    subjects = _subject_digests(statement, envelope_path)
    predicate: dict[str, Any] = statement["predicate"]
    verdict = signed_verdict(predicate, envelope_path)
    if report_path is not None:
        report_bytes = _report_for_verification(report_path)
        if sha256_hex(report_bytes) != subjects[REPORT_SUBJECT]:
            raise VerificationError(f"{report_path}: sha256 differs from the signed {REPORT_SUBJECT} digest")
        compare_predicate(predicate, _report_document(report_bytes, report_path), report_path)
    if evidence_path is not None and _digest_for_verification(evidence_path) != subjects[EVIDENCE_SUBJECT]:
        raise VerificationError(f"{evidence_path}: sha256 differs from the signed {EVIDENCE_SUBJECT} digest")
    return VerifiedStatement(
        keyid=keyid(public_key),
        subjects=subjects,
        predicate=predicate,
        verdict=verdict,
        report_checked=report_path is not None,
        evidence_checked=evidence_path is not None,
    )


def _digest_for_verification(path: Path) -> str:
    try:
        return file_sha256(path)
    except SigningError as error:
        if isinstance(error.__cause__, OSError):  # it cannot be read, so it cannot be shown unchanged
            raise VerificationError(str(error)) from error
        raise  # not a regular file, or over the limit: an input error (exit 2), not a mismatch


def _report_for_verification(path: Path) -> bytes:
    """The report's bytes, read once for both the digest and the verdict; unreadable means unverified."""
    try:
        return _read_capped(path, SigningError, limit=MAX_REPORT_BYTES)
    except SigningError as error:
        if isinstance(error.__cause__, OSError):  # it cannot be read, so it cannot be shown unchanged
            raise VerificationError(str(error)) from error
        raise  # not a regular file, or over the limit: an input error (exit 2), not a mismatch


def _report_document(report_bytes: bytes, where: Path) -> Any:
    try:
        return json.loads(report_bytes, parse_constant=_refuse_constant)
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise VerificationError(f"{where}: not a JSON document, so its verdict cannot be compared") from error


def _parse_statement(payload: bytes, where: Path) -> dict[str, Any]:
    try:
        statement = json.loads(payload, parse_constant=_refuse_constant)
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise VerificationError(f"{where}: the signed payload is not JSON") from error
    if not isinstance(statement, dict) or statement.get("_type") != STATEMENT_TYPE:
        raise VerificationError(f"{where}: the signed payload is not an in-toto Statement v1")
    if statement.get("predicateType") != PREDICATE_TYPE:
        raise VerificationError(f"{where}: predicateType is not {PREDICATE_TYPE}")
    if not isinstance(statement.get("predicate"), dict):
        raise VerificationError(f"{where}: the statement has no predicate object")
    return statement


def _subject_digests(statement: dict[str, Any], where: Path) -> dict[str, str]:
    digests: dict[str, str] = {}
    subjects = statement.get("subject")
    for subject in subjects if isinstance(subjects, list) else []:
        name = subject.get("name") if isinstance(subject, dict) else None
        digest = subject.get("digest") if isinstance(subject, dict) else None
        value = digest.get("sha256") if isinstance(digest, dict) else None
        if isinstance(name, str) and isinstance(value, str):
            digests[name] = value
    missing = [name for name in (REPORT_SUBJECT, EVIDENCE_SUBJECT) if name not in digests]
    if missing:
        raise VerificationError(f"{where}: the statement has no sha256 subject for {', '.join(missing)}")
    return digests
