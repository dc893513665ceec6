"""Loopback HTTPS servers with a private CA for the TLS and web connector tests (and the TLS bench).

Certificates are issued with `cryptography` (trustme's critical SAN with a non-empty subject is refused
by sslyze's validator). Every server binds 127.0.0.1 on a free port and answers GET with fixed headers.
"""

from __future__ import annotations

import datetime
import ipaddress
import socket
import ssl
import threading
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

NOW = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Authority:
    """A private CA: its certificate (PEM on disk for --ca-bundle) and signing key."""

    certificate: x509.Certificate
    key: ec.EllipticCurvePrivateKey
    bundle: Path


def make_authority(folder: Path, *, name: str = "crmsec test CA") -> Authority:
    """A self-signed EC P-256 root CA, written to `folder/ca.pem`."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - DAY)
        .not_valid_after(NOW + 3650 * DAY)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    bundle = folder / "ca.pem"
    bundle.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return Authority(certificate, key, bundle)


@dataclass(frozen=True)
class Leaf:
    """A server certificate chain and key on disk, ready for `SSLContext.load_cert_chain`."""

    chain: Path
    key: Path
    certificate: x509.Certificate


def issue_leaf(
    authority: Authority,
    folder: Path,
    *,
    names: Sequence[str] = ("localhost", "127.0.0.1"),
    not_before: datetime.datetime | None = None,
    not_after: datetime.datetime | None = None,
    rsa_bits: int | None = 2048,
    stem: str = "leaf",
) -> Leaf:
    """A leaf for `names` (DNS names or IP addresses) signed by `authority`; RSA unless rsa_bits is None."""
    key: Any = rsa.generate_private_key(65537, rsa_bits) if rsa_bits else ec.generate_private_key(ec.SECP256R1())
    alternatives: list[x509.GeneralName] = []
    for name in names:
        try:
            alternatives.append(x509.IPAddress(ipaddress.ip_address(name)))
        except ValueError:
            alternatives.append(x509.DNSName(name))
    authority_key = x509.AuthorityKeyIdentifier.from_issuer_public_key(authority.key.public_key())
    certificate = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])]))
        .issuer_name(authority.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before or NOW - DAY)
        .not_valid_after(not_after or NOW + 90 * DAY)
        .add_extension(x509.SubjectAlternativeName(alternatives), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(authority_key, critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(authority.key, hashes.SHA256())
    )
    chain = folder / f"{stem}-chain.pem"
    chain.write_bytes(
        certificate.public_bytes(serialization.Encoding.PEM)
        + authority.certificate.public_bytes(serialization.Encoding.PEM)
    )
    key_path = folder / f"{stem}-key.pem"
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return Leaf(chain, key_path, certificate)


DEFAULT_HEADERS: tuple[tuple[str, str], ...] = (
    ("Strict-Transport-Security", "max-age=63072000; includeSubDomains"),
    ("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("Set-Cookie", "sessionid=abc; Secure; HttpOnly; SameSite=Lax; Path=/"),
)
SERVER_BANNER = "lab-server/1.0"


@dataclass
class ServerSettings:
    """How the loopback server behaves: TLS floor, ciphers, headers and which paths answer 200."""

    legacy: bool = False
    headers: tuple[tuple[str, str], ...] = DEFAULT_HEADERS
    open_paths: frozenset[str] = field(default_factory=lambda: frozenset({"/"}))


def server_context(leaf: Leaf, *, legacy: bool = False) -> ssl.SSLContext:
    """A server context; `legacy` lowers the floor to TLS 1.0 with every cipher at security level 0."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(str(leaf.chain), str(leaf.key))
    if legacy:
        with warnings.catch_warnings():  # TLS 1.0 is deprecated: that is the point of this server
            warnings.simplefilter("ignore", DeprecationWarning)
            context.minimum_version = ssl.TLSVersion.TLSv1
        context.set_ciphers("ALL:@SECLEVEL=0")
    else:
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.set_ciphers("ECDHE+AESGCM:ECDHE+CHACHA20")
        context.set_ecdh_curve("prime256v1")  # Mozilla intermediate refuses X448 and secp521r1
    return context


def _handler(settings: ServerSettings) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def version_string(self) -> str:
            return SERVER_BANNER

        def do_GET(self) -> None:
            status = 200 if self.path in settings.open_paths else 404
            body = b"ok\n" if status == 200 else b"not found\n"
            self.send_response(status)
            for name, value in settings.headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            return

    return Handler


class _TlsHttpServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def __init__(self, handler: type[BaseHTTPRequestHandler], context: ssl.SSLContext) -> None:
        super().__init__(("127.0.0.1", 0), handler)
        self.context = context

    def finish_request(self, request: Any, client_address: Any) -> None:
        # The handshake runs in the per-connection thread, so a slow or failed probe blocks nobody.
        try:
            wrapped = self.context.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError):
            return
        try:
            super().finish_request(wrapped, client_address)
        except (ssl.SSLError, OSError):
            return
        finally:
            wrapped.close()

    def handle_error(self, request: Any, client_address: Any) -> None:
        return


@contextmanager
def serve_https(leaf: Leaf, settings: ServerSettings | None = None) -> Iterator[int]:
    """Serve HTTPS on 127.0.0.1 in a background thread; yields the port."""
    settings = settings or ServerSettings()
    server = _TlsHttpServer(_handler(settings), server_context(leaf, legacy=settings.legacy))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def closed_port() -> int:
    """A loopback port with nothing listening on it (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def legacy_tls_available() -> bool:
    """True when the local OpenSSL lets a server context accept TLS 1.0."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            context.minimum_version = ssl.TLSVersion.TLSv1
        context.set_ciphers("ALL:@SECLEVEL=0")
    except (ValueError, ssl.SSLError):
        return False
    return context.minimum_version == ssl.TLSVersion.TLSv1
