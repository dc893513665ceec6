"""Signing: DSSE test vectors, an independent verifier, tampering, key handling, round trips."""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, utils
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given
from hypothesis import strategies as st

from crmsec import signing
from crmsec.attestation import Verdict
from crmsec.canonical import canonical_bytes
from crmsec.errors import InputError, SigningError, VerificationError

# -- the DSSE specification's vectors -----------------------------------------------------------------
# secure-systems-lab/dsse protocol.md, "Test Vectors": PAE of "hello world" and an ECDSA P-256 envelope.
PROTOCOL_PAE = b"DSSEv1 29 http://example.com/HelloWorld 11 hello world"
PROTOCOL_ECDSA_X = 46950820868899156662930047687818585632848591499744589407958293238635476079160
PROTOCOL_ECDSA_Y = 5640078356564379163099075877009565129882514886557779369047442380624545832820
PROTOCOL_ECDSA_SIG = "A3JqsQGtVsJ2O2xqrI5IcnXip5GToJ3F+FnZ+O88SjtR6rDAajabZKciJTfUiHqJPcIAriEGAHTVeCUjW2JIZA=="

# secure-systems-lab/dsse testvectors/vectors.json: key "A" is RFC 8032 section 7.1 TEST 1 (Ed25519).
SEED_A = bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
PUBLIC_A = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
STATEMENT_B64 = "eyJfdHlwZSI6Imh0dHBzOi8vaW4tdG90by5pby9TdGF0ZW1lbnQvdjEifQ=="
INTOTO_PAE_HEX = (
    "445353457631203238206170706c69636174696f6e2f766e642e696e2d746f746f2b6a736f6e203433207b225f74797065223a"
    "2268747470733a2f2f696e2d746f746f2e696f2f53746174656d656e742f7631227d"
)
VECTORS: list[tuple[str, str, str, str, str, str]] = [
    # id, payload (base64, as published), payloadType, sig, pae (hex), expect
    (
        "single-signature",
        STATEMENT_B64,
        "application/vnd.in-toto+json",
        "2WAfaHm5jluo0w+0rk8uVkluELJYWjSmU9x7EUzx+AyteDGJ4/nqyJXfmAUVFIAoQafWm7AxBZNw5M9ixNHiCA==",
        INTOTO_PAE_HEX,
        "accept",
    ),
    (
        "url-safe-base64",
        "-_-_Pj8=",
        "application/vnd.in-toto+json",
        "P-_KHICeR7tI6S_YyejJTRtrXhcQyQ2LYPaL8h90KjC9qN8HU_svOQ6TuDOT1HIrsGW886DbWNWcCmX5twLrAw==",
        "445353457631203238206170706c69636174696f6e2f766e642e696e2d746f746f2b6a736f6e203520fbffbf3e3f",
        "accept",
    ),
    (
        "non-ascii-payload-type",
        STATEMENT_B64,
        "application/vnd.exämple+json",
        "xmSk/ug66ysT7ayhkCIjhAq42zgZXSsEWuzUaNL7w2eGAdF/NU6/fRXPtmfN+5DNSAs5/i2lUnHjbbjPsu0tAw==",
        "445353457631203239206170706c69636174696f6e2f766e642e6578c3a46d706c652b6a736f6e203433207b225f747970"
        "65223a2268747470733a2f2f696e2d746f746f2e696f2f53746174656d656e742f7631227d",
        "accept",
    ),
    (
        "empty-payload",
        "",
        "application/vnd.in-toto+json",
        "gSggCAaTLTYyRH6FIDBem6meyIynsYy8RTHVzwx9tnTb7Bg/1jMWnuVgI/gffqmbsC2VX5/jHfkkDqsj7CDbDg==",
        "445353457631203238206170706c69636174696f6e2f766e642e696e2d746f746f2b6a736f6e203020",
        "accept",
    ),
]
KEY_A = Ed25519PrivateKey.from_private_bytes(SEED_A)
OTHER_KEY = Ed25519PrivateKey.generate()


def test_pae_matches_the_protocol_example() -> None:
    assert signing.pae("http://example.com/HelloWorld", b"hello world") == PROTOCOL_PAE


def test_protocol_ecdsa_envelope_signs_our_pae_bytes() -> None:
    public_key = ec.EllipticCurvePublicNumbers(PROTOCOL_ECDSA_X, PROTOCOL_ECDSA_Y, ec.SECP256R1()).public_key()
    raw = base64.b64decode(PROTOCOL_ECDSA_SIG)
    der = utils.encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    message = signing.pae("http://example.com/HelloWorld", base64.b64decode("aGVsbG8gd29ybGQ="))
    public_key.verify(der, message, ec.ECDSA(hashes.SHA256()))  # raises InvalidSignature on a mismatch


def test_vector_key_is_rfc8032_test_1() -> None:
    raw = KEY_A.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    assert raw.hex() == PUBLIC_A


def _vector_envelope(payload: str, payload_type: str, sig: str) -> dict[str, Any]:
    # The vectors name their key "A"; keyids are labels, so ours replaces it.
    return {
        "payload": payload,
        "payloadType": payload_type,
        "signatures": [{"keyid": signing.keyid(KEY_A.public_key()), "sig": sig}],
    }


@pytest.mark.parametrize(("name", "payload", "payload_type", "sig", "pae_hex", "expect"), VECTORS)
def test_dsse_vectors(name: str, payload: str, payload_type: str, sig: str, pae_hex: str, expect: str) -> None:
    body = base64.urlsafe_b64decode(payload) if "-" in payload or "_" in payload else base64.b64decode(payload)
    assert signing.pae(payload_type, body).hex() == pae_hex
    envelope = _vector_envelope(payload, payload_type, sig)
    assert signing.verify_payload(envelope, KEY_A.public_key(), payload_type=payload_type) == body
    produced = signing.sign_payload(body, KEY_A, payload_type=payload_type)["signatures"][0]["sig"]
    assert base64.b64decode(produced) == base64.urlsafe_b64decode(sig.replace("+", "-").replace("/", "_"))


def test_vector_payload_type_swapped_is_rejected() -> None:
    sig = VECTORS[0][3]
    other = "application/vnd.example.other+json"
    envelope = _vector_envelope(STATEMENT_B64, other, sig)
    with pytest.raises(VerificationError, match="payloadType"):
        signing.verify_payload(envelope, KEY_A.public_key())
    with pytest.raises(VerificationError, match="no valid signature"):
        signing.verify_payload(envelope, KEY_A.public_key(), payload_type=other)


def test_vector_empty_payload_type_is_rejected() -> None:
    sig = "iC3q/+3Rm0+lpAJRueDmDh15PnwCfxKmS0NAfKsbv+zgulXQC/WM9trc+j1XEqlwDIg/vf/uNfebeD6sxInrDg=="
    envelope = _vector_envelope(STATEMENT_B64, "", sig)
    assert signing.verify_payload(envelope, KEY_A.public_key(), payload_type="") == base64.b64decode(STATEMENT_B64)
    with pytest.raises(VerificationError, match="payloadType"):
        signing.verify_payload(envelope, KEY_A.public_key())


# -- a report bundle ----------------------------------------------------------------------------------


def _report(**overrides: Any) -> dict[str, Any]:
    report: dict[str, Any] = {
        "schema_version": "1",
        "tool": {"name": "crmsec", "version": "0.1.0"},
        "target": {"platform": "salesforce", "url": "https://crm.example.test"},
        "profile": {"name": "baseline", "sha256": "a" * 64},
        "evidence": {"sha256": "b" * 64, "collected_at": "2026-01-01T00:00:00Z"},
        "generated_at": "2026-01-01T00:05:00Z",
        "scores": {"overall": 87.5, "grade": "B", "passed": True},
        "gate": {"passed": True, "reasons": []},
    }
    report.update(overrides)
    return report


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    (tmp_path / "report.json").write_text(json.dumps(_report(), indent=2) + "\n", encoding="utf-8")
    (tmp_path / "evidence.json").write_text('{"items": {"tls.scan": {"value": 1}}}\n', encoding="utf-8")
    return tmp_path


def _signed(bundle: Path, key: Ed25519PrivateKey = KEY_A) -> Path:
    envelope = signing.sign_report(bundle / "report.json", bundle / "evidence.json", key)
    path = bundle / "report.dsse.json"
    signing.write_envelope(envelope, path)
    return path


def _verify(bundle: Path, key: Ed25519PrivateKey = KEY_A) -> signing.VerifiedStatement:
    return signing.verify_envelope(
        bundle / "report.dsse.json",
        key.public_key(),
        report_path=bundle / "report.json",
        evidence_path=bundle / "evidence.json",
    )


def _flip(path: Path, position: int) -> None:
    data = bytearray(path.read_bytes())
    data[position % len(data)] ^= 0x01
    path.write_bytes(bytes(data))


def test_statement_is_canonical_in_toto_v1(bundle: Path) -> None:
    envelope = signing.sign_report(bundle / "report.json", bundle / "evidence.json", KEY_A)
    payload = base64.b64decode(envelope["payload"])
    statement = json.loads(payload)
    assert payload == canonical_bytes(statement)
    assert envelope["payloadType"] == "application/vnd.in-toto+json"
    assert statement["_type"] == "https://in-toto.io/Statement/v1"
    assert statement["predicateType"] == "https://crmsec.dev/attestation/report/v1"
    digests = {
        name: hashlib.sha256((bundle / name).read_bytes()).hexdigest() for name in ("report.json", "evidence.json")
    }
    assert statement["subject"] == [
        {"name": "report.json", "digest": {"sha256": digests["report.json"]}},
        {"name": "evidence.json", "digest": {"sha256": digests["evidence.json"]}},
    ]
    assert statement["predicate"] == {
        "tool": {"name": "crmsec", "version": "0.1.0"},
        "profile": {"name": "baseline", "sha256": "a" * 64},
        "target": {"platform": "salesforce", "url": "https://crm.example.test"},
        "score": 87.5,
        "grade": "B",
        "gate": {"passed": True},
        "generated_at": "2026-01-01T00:05:00Z",
        "evidence_sha256": "b" * 64,
    }


def test_round_trip(bundle: Path) -> None:
    _signed(bundle)
    verified = _verify(bundle)
    assert verified.keyid == signing.keyid(KEY_A.public_key())
    assert (verified.report_checked, verified.evidence_checked) == (True, True)
    assert verified.predicate["grade"] == "B"


@pytest.mark.parametrize("name", ["report.json", "evidence.json"])
@pytest.mark.parametrize("position", [0, 7, -2])
def test_a_flipped_byte_in_a_signed_file_fails(bundle: Path, name: str, position: int) -> None:
    _signed(bundle)
    _flip(bundle / name, position)
    with pytest.raises(VerificationError, match=f"signed {name} digest"):
        _verify(bundle)


def _rewrite(path: Path, field: str, position: int) -> None:
    envelope = json.loads(path.read_text(encoding="utf-8"))
    holder = envelope if field == "payload" else envelope["signatures"][0]
    key = "payload" if field == "payload" else "sig"
    data = bytearray(base64.b64decode(holder[key]))
    data[position % len(data)] ^= 0x01
    holder[key] = base64.b64encode(bytes(data)).decode()
    path.write_text(json.dumps(envelope), encoding="utf-8")


@pytest.mark.parametrize("field", ["payload", "sig"])
@pytest.mark.parametrize("position", [0, 31, -1])
def test_a_flipped_byte_in_the_envelope_fails(bundle: Path, field: str, position: int) -> None:
    _rewrite(_signed(bundle), field, position)
    with pytest.raises(VerificationError, match="no valid signature"):
        _verify(bundle)


def test_wrong_public_key_fails(bundle: Path) -> None:
    _signed(bundle)
    with pytest.raises(VerificationError, match="no valid signature"):
        _verify(bundle, OTHER_KEY)


def test_a_keyid_naming_another_key_is_not_tried(bundle: Path) -> None:
    path = _signed(bundle)
    envelope = json.loads(path.read_text(encoding="utf-8"))
    envelope["signatures"][0]["keyid"] = signing.keyid(OTHER_KEY.public_key())
    path.write_text(json.dumps(envelope), encoding="utf-8")
    with pytest.raises(VerificationError, match="no valid signature"):
        _verify(bundle)


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        "[]",
        '{"payloadType": "application/vnd.in-toto+json", "payload": "e30=", "signatures": []}',
        '{"payloadType": "application/vnd.in-toto+json", "payload": "%%%", "signatures": [{"sig": "AA=="}]}',
        '{"payloadType": "application/vnd.in-toto+json", "payload": "e30=", "signatures": [{"sig": 5}]}',
        '{"payloadType": "application/vnd.in-toto+json", "payload": "e30=", "signatures": ["x"]}',
        '{"payloadType": "text/plain", "payload": "e30=", "signatures": [{"sig": "AA=="}]}',
        '{"payload": NaN}',
    ],
)
def test_malformed_envelopes_fail(tmp_path: Path, text: str) -> None:
    path = tmp_path / "report.dsse.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(VerificationError):
        signing.verify_envelope(path, KEY_A.public_key())


@pytest.mark.parametrize(
    ("statement", "message"),
    [
        ({"_type": "https://in-toto.io/Statement/v0.1"}, "not an in-toto Statement v1"),
        ({"_type": "https://in-toto.io/Statement/v1", "predicateType": "x"}, "predicateType"),
        (
            {"_type": "https://in-toto.io/Statement/v1", "predicateType": signing.PREDICATE_TYPE, "predicate": {}},
            "no sha256 subject for report.json, evidence.json",
        ),
    ],
)
def test_a_validly_signed_foreign_statement_fails(tmp_path: Path, statement: dict[str, Any], message: str) -> None:
    path = tmp_path / "report.dsse.json"
    signing.write_envelope(signing.sign_payload(canonical_bytes(statement), KEY_A), path)
    with pytest.raises(VerificationError, match=message):
        signing.verify_envelope(path, KEY_A.public_key())


def test_files_are_optional_and_reported_unchecked(bundle: Path) -> None:
    path = _signed(bundle)
    verified = signing.verify_envelope(path, KEY_A.public_key())
    assert (verified.report_checked, verified.evidence_checked) == (False, False)
    assert set(verified.subjects) == {"report.json", "evidence.json"}


def test_a_missing_file_to_compare_fails(bundle: Path) -> None:
    path = _signed(bundle)
    with pytest.raises(VerificationError, match="cannot read"):
        signing.verify_envelope(path, KEY_A.public_key(), evidence_path=bundle / "gone.json")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"scores": {"grade": "B"}}, "missing scores.overall"),
        ({"gate": {"passed": "yes"}}, "gate.passed has the wrong type"),
        ({"scores": {"overall": True, "grade": "B"}}, "scores.overall has the wrong type"),
        ({"target": None}, "missing target.platform"),
    ],
)
def test_an_incomplete_report_cannot_be_signed(tmp_path: Path, overrides: dict[str, Any], message: str) -> None:
    (tmp_path / "report.json").write_text(json.dumps(_report(**overrides)), encoding="utf-8")
    (tmp_path / "evidence.json").write_text("{}", encoding="utf-8")
    with pytest.raises(SigningError, match=message):
        signing.sign_report(tmp_path / "report.json", tmp_path / "evidence.json", KEY_A)


def test_a_report_without_a_score_can_be_signed(tmp_path: Path) -> None:
    (tmp_path / "report.json").write_text(json.dumps(_report(scores={"overall": None, "grade": "-"})), encoding="utf-8")
    (tmp_path / "evidence.json").write_text("{}", encoding="utf-8")
    assert _verify(_signed(tmp_path).parent).predicate["score"] is None


def test_sign_bundle_writes_the_envelope_next_to_the_report(bundle: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRMSEC_KEY_PASSPHRASE", "bundle passphrase")
    key_path, public_path = signing.generate_keypair(
        bundle / "signing.key", passphrase=b"bundle passphrase", force=False
    )
    assert signing.sign_bundle(bundle, key_path) == bundle / "report.dsse.json"
    signing.verify_envelope(
        bundle / "report.dsse.json",
        signing.load_public_key(public_path),
        report_path=bundle / "report.json",
        evidence_path=bundle / "evidence.json",
    )


# -- the signed verdict against report.json ---------------------------------------------------------

GATED = {"passed": False, "reasons": ["score 87.5 is under 90"], "fail_under": 90, "fail_on": "high", "baseline": None}


def _sign_statement(bundle: Path, statement: dict[str, Any]) -> Path:
    """Sign a statement made by hand (not by `sign_report`) with the test key, as a careless or hostile
    signer could: its digests are right, its predicate says what we want."""
    path = bundle / "report.dsse.json"
    signing.write_envelope(signing.sign_payload(canonical_bytes(statement), KEY_A), path)
    return path


def _statement_for(bundle: Path) -> dict[str, Any]:
    return signing.build_statement((bundle / "report.json").read_bytes(), signing.file_sha256(bundle / "evidence.json"))


def test_gate_settings_are_signed(bundle: Path) -> None:
    (bundle / "report.json").write_text(json.dumps(_report(gate=GATED)), encoding="utf-8")
    assert _statement_for(bundle)["predicate"]["gate"] == {
        "passed": False,
        "fail_under": 90,
        "fail_on": "high",
        "baseline": None,
    }
    verified = _verify(_signed(bundle).parent)
    assert verified.verdict == Verdict(87.5, "B", False, True, 90, "high")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("score", 99.5, "score signed 99.5, report says 87.5"),
        ("grade", "A", 'grade signed "A", report says "B"'),
        ("gate", {"passed": True, "fail_under": 90, "fail_on": "high", "baseline": None}, "gate.passed signed true"),
        ("gate", {"passed": False, "fail_under": 50, "fail_on": "high", "baseline": None}, "gate.fail_under"),
        ("gate", {"passed": False, "fail_under": None, "fail_on": None, "baseline": None}, "gate.fail_on"),
        ("target", {"platform": "salesforce", "url": "https://other.example.test"}, "target.url"),
        ("generated_at", "2025-01-01T00:00:00Z", "generated_at"),
    ],
)
def test_a_signed_verdict_that_is_not_the_reports_fails(bundle: Path, field: str, value: Any, message: str) -> None:
    (bundle / "report.json").write_text(json.dumps(_report(gate=GATED)), encoding="utf-8")
    statement = _statement_for(bundle)
    statement["predicate"][field] = value
    _sign_statement(bundle, statement)
    with pytest.raises(VerificationError, match="the signed verdict does not match the report") as caught:
        _verify(bundle)
    assert message in str(caught.value)
    verified = signing.verify_envelope(bundle / "report.dsse.json", KEY_A.public_key())  # signature alone: valid
    assert verified.report_checked is False


def test_a_report_that_cannot_yield_a_verdict_fails(bundle: Path) -> None:
    statement = _statement_for(bundle)
    (bundle / "report.json").write_text(json.dumps(_report(scores={"grade": "B"})), encoding="utf-8")
    statement["subject"][0]["digest"]["sha256"] = signing.file_sha256(bundle / "report.json")
    _sign_statement(bundle, statement)
    with pytest.raises(VerificationError, match=r"missing scores\.overall, so its verdict cannot be compared"):
        _verify(bundle)


def test_an_envelope_without_signed_gate_settings_still_verifies(bundle: Path) -> None:
    """Envelopes signed before gate settings joined the predicate hold only gate.passed."""
    (bundle / "report.json").write_text(json.dumps(_report(gate=GATED)), encoding="utf-8")
    statement = _statement_for(bundle)
    statement["predicate"]["gate"] = {"passed": False}
    _sign_statement(bundle, statement)
    verified = _verify(bundle)
    assert verified.verdict == Verdict(87.5, "B", False, None)
    assert verified.report_checked is True


def test_whole_scores_compare_as_numbers(bundle: Path) -> None:
    """Canonical JSON writes 80.0 as 80: the report's 80.0 is still the signed score; a boolean is no number."""
    (bundle / "report.json").write_text(json.dumps(_report(scores={"overall": 80.0, "grade": "B"})), encoding="utf-8")
    assert _verify(_signed(bundle).parent).verdict.score == 80
    (bundle / "report.json").write_text(json.dumps(_report(gate={"passed": True, "fail_under": 1})), encoding="utf-8")
    statement = _statement_for(bundle)
    statement["predicate"]["gate"]["fail_under"] = True
    _sign_statement(bundle, statement)
    with pytest.raises(VerificationError, match=r"gate\.fail_under is not a number"):
        _verify(bundle)


@pytest.mark.parametrize(
    ("predicate", "message"),
    [
        ({"grade": "B", "gate": {"passed": True}}, "no valid score and grade"),
        ({"score": "87", "grade": "B", "gate": {"passed": True}}, "no valid score and grade"),
        ({"score": 87, "grade": "B", "gate": {"passed": 1}}, "no valid gate.passed"),
        ({"score": 87, "grade": "B", "gate": {"passed": True, "fail_under": "70"}}, "fail_under is not a number"),
    ],
)
def test_a_signed_predicate_without_a_verdict_fails_even_alone(
    bundle: Path, predicate: dict[str, Any], message: str
) -> None:
    statement = _statement_for(bundle)
    statement["predicate"] = predicate
    _sign_statement(bundle, statement)
    with pytest.raises(VerificationError, match=message):
        signing.verify_envelope(bundle / "report.dsse.json", KEY_A.public_key())


# -- keys ---------------------------------------------------------------------------------------------


def test_keygen_writes_0600_private_and_spki_public(tmp_path: Path) -> None:
    old_umask = os.umask(0)
    try:
        private_path, public_path = signing.generate_keypair(tmp_path / "k", passphrase=None, force=False)
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(private_path.stat().st_mode) == 0o600
    assert public_path == tmp_path / "k.pub"
    assert private_path.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    assert public_path.read_bytes().startswith(b"-----BEGIN PUBLIC KEY-----")
    private_key = signing.load_private_key(private_path, None)
    assert signing.keyid(private_key.public_key()) == signing.keyid(signing.load_public_key(public_path))


def test_private_key_is_created_0600_exclusively(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, int, int]] = []
    real_open = os.open

    def spy(path: Any, flags: int, mode: int = 0o777, *args: Any, **kwargs: Any) -> int:
        calls.append((Path(path).name, flags, mode))
        return real_open(path, flags, mode, *args, **kwargs)

    monkeypatch.setattr("crmsec.signing_keys.os.open", spy)
    signing.generate_keypair(tmp_path / "k", passphrase=None, force=False)
    signing.generate_keypair(tmp_path / "k", passphrase=None, force=True)
    private_calls = [
        (flags, mode)
        for name, flags, mode in calls
        if not name.endswith("pub") and "pub." not in name and not flags & os.O_DIRECTORY  # not the dir fsync
    ]
    assert len(private_calls) == 2
    assert all(mode == 0o600 and flags & os.O_EXCL and flags & os.O_CREAT for flags, mode in private_calls)


def test_keyid_is_sha256_of_der_spki() -> None:
    der = KEY_A.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    assert signing.keyid(KEY_A.public_key()) == hashlib.sha256(der).hexdigest()


def test_keygen_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    signing.generate_keypair(tmp_path / "k", passphrase=None, force=False)
    before = (tmp_path / "k").read_bytes()
    with pytest.raises(InputError, match="already exists"):
        signing.generate_keypair(tmp_path / "k", passphrase=None, force=False)
    assert (tmp_path / "k").read_bytes() == before
    signing.generate_keypair(tmp_path / "k", passphrase=None, force=True)
    assert (tmp_path / "k").read_bytes() != before
    assert stat.S_IMODE((tmp_path / "k").stat().st_mode) == 0o600


def test_keygen_refuses_when_only_the_public_key_exists(tmp_path: Path) -> None:
    (tmp_path / "k.pub").write_text("keep me", encoding="utf-8")
    with pytest.raises(InputError, match=r"k\.pub"):
        signing.generate_keypair(tmp_path / "k", passphrase=None, force=False)
    assert not (tmp_path / "k").exists()


def test_passphrase_round_trip(tmp_path: Path) -> None:
    private_path, _ = signing.generate_keypair(tmp_path / "k", passphrase=b"correct horse", force=False)
    assert private_path.read_bytes().startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    assert b"correct horse" not in private_path.read_bytes()
    signing.load_private_key(private_path, b"correct horse")
    with pytest.raises(SigningError, match="no passphrase was given"):
        signing.load_private_key(private_path, None)
    with pytest.raises(SigningError, match="passphrase is wrong"):
        signing.load_private_key(private_path, b"battery staple")


def test_a_passphrase_for_an_unencrypted_key_is_refused(tmp_path: Path) -> None:
    private_path, _ = signing.generate_keypair(tmp_path / "k", passphrase=None, force=False)
    with pytest.raises(SigningError, match="not encrypted"):
        signing.load_private_key(private_path, b"unexpected")


def test_passphrase_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CRMSEC_KEY_PASSPHRASE", raising=False)
    monkeypatch.delenv("MY_PASSPHRASE", raising=False)
    assert signing.passphrase_from_environment(None) is None
    with pytest.raises(InputError, match="MY_PASSPHRASE"):
        signing.passphrase_from_environment("MY_PASSPHRASE")
    monkeypatch.setenv("MY_PASSPHRASE", "from-mine")
    monkeypatch.setenv("CRMSEC_KEY_PASSPHRASE", "from-default")
    assert signing.passphrase_from_environment("MY_PASSPHRASE") == b"from-mine"
    assert signing.passphrase_from_environment(None) == b"from-default"


def test_unusable_key_files(tmp_path: Path) -> None:
    private_path, public_path = signing.generate_keypair(tmp_path / "k", passphrase=None, force=False)
    with pytest.raises(SigningError, match="not a PEM public key"):
        signing.load_public_key(private_path)
    with pytest.raises(SigningError, match="not a PEM private key"):
        signing.load_private_key(public_path, None)
    with pytest.raises(SigningError, match="cannot read"):
        signing.load_public_key(tmp_path / "missing.pub")
    ec_key = ec.generate_private_key(ec.SECP256R1())
    ec_path = tmp_path / "ec.pem"
    ec_path.write_bytes(
        ec_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    with pytest.raises(SigningError, match="not an Ed25519 private key"):
        signing.load_private_key(ec_path, None)


# -- properties ---------------------------------------------------------------------------------------


@given(payload=st.binary(max_size=2048), payload_type=st.text(max_size=40), url_safe=st.booleans())
def test_sign_verify_round_trip_for_any_payload(payload: bytes, payload_type: str, url_safe: bool) -> None:
    envelope = signing.sign_payload(payload, KEY_A, payload_type=payload_type)
    if url_safe:
        envelope["payload"] = base64.urlsafe_b64encode(payload).decode().rstrip("=")
    assert signing.verify_payload(envelope, KEY_A.public_key(), payload_type=payload_type) == payload


@given(payload=st.binary(min_size=1, max_size=512), position=st.integers(min_value=0), bit=st.integers(0, 7))
def test_any_single_bit_flip_in_the_payload_fails(payload: bytes, position: int, bit: int) -> None:
    envelope = signing.sign_payload(payload, KEY_A)
    tampered = bytearray(payload)
    tampered[position % len(payload)] ^= 1 << bit
    envelope["payload"] = base64.b64encode(bytes(tampered)).decode()
    with pytest.raises(VerificationError):
        signing.verify_payload(envelope, KEY_A.public_key())


# -- an independent verifier --------------------------------------------------------------------------


def test_securesystemslib_verifies_our_envelope(bundle: Path) -> None:
    dsse = pytest.importorskip("securesystemslib.dsse", reason="securesystemslib (dev extra) is not installed")
    signer_module = pytest.importorskip("securesystemslib.signer")
    exceptions = pytest.importorskip("securesystemslib.exceptions")
    envelope = json.loads(_signed(bundle).read_text(encoding="utf-8"))
    key = signer_module.SSlibKey.from_crypto(KEY_A.public_key(), keyid=signing.keyid(KEY_A.public_key()))
    accepted = dsse.Envelope.from_dict(copy.deepcopy(envelope)).verify([key], 1)
    assert list(accepted) == [signing.keyid(KEY_A.public_key())]
    other = signer_module.SSlibKey.from_crypto(OTHER_KEY.public_key(), keyid=signing.keyid(KEY_A.public_key()))
    with pytest.raises(exceptions.VerificationError):
        dsse.Envelope.from_dict(copy.deepcopy(envelope)).verify([other], 1)


def test_we_verify_a_securesystemslib_envelope() -> None:
    dsse = pytest.importorskip("securesystemslib.dsse", reason="securesystemslib (dev extra) is not installed")
    signer_module = pytest.importorskip("securesystemslib.signer")
    public = signer_module.SSlibKey.from_crypto(KEY_A.public_key(), keyid=signing.keyid(KEY_A.public_key()))
    envelope = dsse.Envelope(b'{"_type":"x"}', signing.PAYLOAD_TYPE, {})
    envelope.sign(signer_module.CryptoSigner(KEY_A, public))
    assert signing.verify_payload(envelope.to_dict(), KEY_A.public_key()) == b'{"_type":"x"}'
