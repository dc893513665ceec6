"""The sslyze TLS scan against real loopback servers, and its pure helpers."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ed25519
from cryptography.x509.oid import NameOID
from tls_servers import (
    NOW,
    Authority,
    ServerSettings,
    closed_port,
    issue_leaf,
    legacy_tls_available,
    make_authority,
    serve_https,
)

from crmsec.connectors.base import Recorder
from crmsec.connectors.tls import (
    _sorted_sets,
    hostname_matches,
    record_tls_scan,
    scan_tls,
    signature_algorithm,
)
from crmsec.errors import ConnectorError, InputError, Reason
from crmsec.evidence import EvidenceSnapshot, timestamp
from crmsec.plugin import Status
from crmsec.target import Target
from crmsec.testing import run_check

DAY = datetime.timedelta(days=1)


@pytest.fixture(scope="module")
def authority(tmp_path_factory: pytest.TempPathFactory) -> Authority:
    return make_authority(tmp_path_factory.mktemp("ca"))


def _snapshot(recorder: Recorder) -> EvidenceSnapshot:
    return recorder.build(Target("web", "https://127.0.0.1"), connector="web", connector_version="test")


@pytest.mark.integration
@pytest.mark.anyio
async def test_modern_server_trusted_with_ca_bundle(authority: Authority, tmp_path: Path) -> None:
    leaf = issue_leaf(authority, tmp_path)
    with serve_https(leaf) as port:
        value = await scan_tls("127.0.0.1", port, ca_bundle=authority.bundle)
    assert (value["host"], value["port"], value["reachable"], value["error"]) == ("127.0.0.1", port, True, None)
    assert value["protocols"] == {
        "ssl_2_0": False, "ssl_3_0": False, "tls_1_0": False, "tls_1_1": False, "tls_1_2": True, "tls_1_3": True,
    }  # fmt: skip
    assert set(value["cipher_suites"]) == {"tls_1_2", "tls_1_3"}
    assert "ECDHE-RSA-AES128-GCM-SHA256" in value["cipher_suites"]["tls_1_2"]
    assert value["cipher_suites"]["tls_1_2"] == sorted(value["cipher_suites"]["tls_1_2"])
    assert value["mozilla_intermediate"] == {"compliant": True, "issues": []}
    certificate = value["certificate"]
    assert certificate == {
        "trusted": True,
        "hostname_matches": True,
        "not_before": timestamp(leaf.certificate.not_valid_before_utc),
        "not_after": timestamp(leaf.certificate.not_valid_after_utc),
        "key_type": "RSA",
        "key_size": 2048,
        "signature_algorithm": "sha256",
        "subject": "CN=localhost",
        "issuer": "CN=crmsec test CA",
    }


@pytest.mark.integration
@pytest.mark.anyio
async def test_private_ca_is_untrusted_without_bundle(authority: Authority, tmp_path: Path) -> None:
    leaf = issue_leaf(authority, tmp_path, rsa_bits=None)
    with serve_https(leaf) as port:
        value = await scan_tls("localhost", port)
    certificate = value["certificate"]
    assert (certificate["trusted"], certificate["hostname_matches"]) == (False, True)
    assert (certificate["key_type"], certificate["key_size"]) == ("EC", 256)
    assert any(issue.startswith("certificate_path_validation:") for issue in value["mozilla_intermediate"]["issues"])


@pytest.mark.integration
@pytest.mark.anyio
async def test_hostname_mismatch_is_told_apart_from_trust(authority: Authority, tmp_path: Path) -> None:
    leaf = issue_leaf(authority, tmp_path, names=("crm.example.test",))
    with serve_https(leaf) as port:
        value = await scan_tls("127.0.0.1", port, ca_bundle=authority.bundle)
    assert (value["certificate"]["trusted"], value["certificate"]["hostname_matches"]) == (True, False)


@pytest.mark.integration
@pytest.mark.anyio
async def test_expired_and_short_lived_leaves(authority: Authority, tmp_path: Path) -> None:
    expired = issue_leaf(authority, tmp_path, stem="old", not_before=NOW - 100 * DAY, not_after=NOW - DAY)
    short = issue_leaf(authority, tmp_path, stem="short", not_after=NOW + 3 * DAY)
    recorder = Recorder()
    with serve_https(expired) as port:
        await record_tls_scan(recorder, "127.0.0.1", port, ca_bundle=authority.bundle)
    [finding] = run_check("CRM-TLS-008", _snapshot(recorder))
    assert (finding.status, finding.message.startswith("Certificate expired")) == (Status.FAIL, True)
    [finding] = run_check("CRM-TLS-006", _snapshot(recorder))
    assert finding.status is Status.FAIL  # an expired chain does not validate

    recorder = Recorder()
    with serve_https(short) as port:
        await record_tls_scan(recorder, "127.0.0.1", port, ca_bundle=authority.bundle)
    [finding] = run_check("CRM-TLS-008", _snapshot(recorder))
    assert finding.status is Status.FAIL
    assert 2 < finding.details["days_left"] <= 3
    [finding] = run_check("CRM-TLS-006", _snapshot(recorder))
    assert finding.status is Status.PASS


@pytest.mark.integration
@pytest.mark.anyio
@pytest.mark.skipif(not legacy_tls_available(), reason="the local OpenSSL refuses TLS 1.0 servers")
async def test_legacy_server_accepts_tls_1_0(authority: Authority, tmp_path: Path) -> None:
    leaf = issue_leaf(authority, tmp_path)
    recorder = Recorder()
    with serve_https(leaf, ServerSettings(legacy=True)) as port:
        value = await record_tls_scan(recorder, "127.0.0.1", port, ca_bundle=authority.bundle)
    assert value is not None
    assert (value["protocols"]["tls_1_0"], value["protocols"]["tls_1_1"]) == (True, True)
    verdict = value["mozilla_intermediate"]
    assert verdict["compliant"] is False
    assert "tls_versions: TLS versions {'TLSv1', 'TLSv1.1'} are supported, but should be rejected." in verdict["issues"]
    snapshot = _snapshot(recorder)
    statuses = [run_check(check_id, snapshot)[0].status for check_id in ("CRM-TLS-002", "CRM-TLS-003", "CRM-TLS-005")]
    assert statuses == [Status.FAIL, Status.FAIL, Status.FAIL]


@pytest.mark.integration
@pytest.mark.anyio
async def test_unreachable_port_records_an_error() -> None:
    port = closed_port()
    with pytest.raises(ConnectorError) as raised:
        await scan_tls("127.0.0.1", port)
    assert (raised.value.reason, raised.value.endpoint) == (Reason.UNREACHABLE, f"TLS 127.0.0.1:{port}")
    recorder = Recorder()
    assert await record_tls_scan(recorder, "127.0.0.1", port) is None
    [finding] = run_check("CRM-TLS-001", _snapshot(recorder))
    assert (finding.status, finding.reason) == (Status.ERROR, Reason.UNREACHABLE)
    assert "no TLS connection" in finding.message


@pytest.mark.anyio
async def test_invalid_host_name_is_a_connector_error() -> None:
    with pytest.raises(ConnectorError, match="not a valid host name") as raised:
        await scan_tls("a" * 70 + ".example.test", 443)
    assert raised.value.reason is Reason.UNREACHABLE


@pytest.mark.anyio
async def test_unusable_ca_bundle_is_an_input_error(tmp_path: Path) -> None:
    bundle = tmp_path / "not-a-bundle.pem"
    bundle.write_text("hello\n")
    with pytest.raises(InputError, match="not a readable PEM CA bundle"):
        await scan_tls("127.0.0.1", closed_port(), ca_bundle=bundle)


@pytest.mark.anyio
async def test_recorder_that_does_not_want_tls_skips_the_scan() -> None:
    recorder = Recorder(requested=["http.probe"])
    assert await record_tls_scan(recorder, "127.0.0.1", closed_port()) is None
    assert recorder.keys == []


def _self_signed(names: list[x509.GeneralName]) -> x509.Certificate:
    key = ed25519.Ed25519PrivateKey.generate()
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "crm.example.test")])
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(NOW)
        .not_valid_after(NOW + DAY)
    )
    if names:
        builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
    return builder.sign(key, None)


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("crm.example.test", True),
        ("CRM.Example.Test.", True),
        ("eu.api.example.test", True),
        ("api.example.test", False),  # a wildcard needs a label
        ("a.b.api.example.test", False),  # and only one
        ("10.0.0.7", True),
        ("10.0.0.8", False),
        ("crm.example.org", False),
    ],
)
def test_hostname_matching(host: str, expected: bool) -> None:
    import ipaddress

    leaf = _self_signed(
        [
            x509.DNSName("crm.example.test"),
            x509.DNSName("*.api.example.test"),
            x509.IPAddress(ipaddress.ip_address("10.0.0.7")),
        ]
    )
    assert hostname_matches(leaf, host) is expected


def test_common_name_alone_does_not_match() -> None:
    assert hostname_matches(_self_signed([]), "crm.example.test") is False


def test_eddsa_signature_is_named_by_algorithm() -> None:
    assert signature_algorithm(_self_signed([])) == "ed25519"


def test_set_literals_in_issues_are_sorted() -> None:
    message = "Cipher suites {'TLS_B', 'TLS_A'} are supported; curves {'X448', 'secp521r1'}."
    assert _sorted_sets(message) == "Cipher suites {'TLS_A', 'TLS_B'} are supported; curves {'X448', 'secp521r1'}."
