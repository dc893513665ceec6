"""The TLS scan: sslyze probes one host:port and we record the facts as the `tls.scan` evidence value.

This is the one module that imports sslyze, and the one place its exceptions and error statuses become
crmsec errors (STYLE section 5). Every connector that serves HTTPS calls `scan_tls` or `record_tls_scan`.

**Unreachable hosts.** When no TLS connection can be made at all (DNS failure, connection refused, timeout,
failed handshake), `scan_tls` raises `ConnectorError` with reason `unreachable`, `timeout` or `tls_error`, and
`record_tls_scan` records that as the *error* of the `tls.scan` item, so the engine gives every TLS check an
ERROR finding with the reason. A value is only produced for a host that completed a handshake, so it always
reads `reachable: true`; `error` then names scan commands that failed part-way (their fields are `null`).
Checks still refuse a hand-written value with `reachable: false` (EvidenceError, never PASS).

**What is measured, not judged.** Protocols accepted, cipher suites accepted per protocol (OpenSSL names, sorted),
the leaf certificate's facts, and sslyze's Mozilla "intermediate" verdict, which the evidence contract asks for.
Its `issues` are strings `"<sslyze category>: <message>"` (e.g. `"ciphers: ..."`, `"tls_versions: ..."`), sorted,
with set literals in messages sorted too so two scans of one server give identical evidence. sslyze's checker does
not judge HSTS; that is CRM-TLS-011 over `http.probe`.

**Trust and hostname are kept apart.** `hostname_matches` compares the host with the leaf's subjectAltName
(DNS names with a single left-most wildcard label, IP addresses; the CN is ignored, as browsers do).
`trusted` means the chain validates to a root in sslyze's stores or `ca_bundle`; sslyze validates for the scanned
name, so when the name does not match we validate again for a name the leaf itself carries.
"""

from __future__ import annotations

import ipaddress
import logging
import re
import warnings
from collections.abc import Callable
from functools import cache, partial
from pathlib import Path
from traceback import TracebackException
from typing import Any

import anyio.to_thread
from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa

from crmsec import files
from crmsec.connectors.base import Recorder
from crmsec.errors import ConnectorError, InputError, Reason
from crmsec.evidence import timestamp
from crmsec.vocabulary import JsonValue

logger = logging.getLogger(__name__)

EVIDENCE_KEY = "tls.scan"
PROTOCOLS: tuple[str, ...] = ("ssl_2_0", "ssl_3_0", "tls_1_0", "tls_1_1", "tls_1_2", "tls_1_3")
DEFAULT_CONCURRENCY = 20
DEFAULT_TIMEOUT_SECONDS = 5
MAX_CA_BUNDLE_BYTES = 16 * 1024 * 1024

_CONNECTIVITY_REASONS: dict[str, Reason] = {
    "ConnectionToServerTimedOut": Reason.TIMEOUT,
    "TlsHandshakeTimedOut": Reason.TIMEOUT,
    "ServerRejectedTlsHandshake": Reason.TLS_ERROR,
    "ServerTlsConfigurationNotSupported": Reason.TLS_ERROR,
}
_SET_LITERAL = re.compile(r"\{([^{}]*)\}")


def endpoint_of(host: str, port: int) -> str:
    """`TLS host:port`: what errors and the evidence source name."""
    return f"TLS {host}:{port}"


async def scan_tls(
    host: str,
    port: int,
    *,
    ca_bundle: Path | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
    timeout: int = DEFAULT_TIMEOUT_SECONDS,
) -> dict[str, JsonValue]:
    """Scan `host:port` with sslyze in a worker thread and return the `tls.scan` evidence value.

    `ca_bundle` adds a private CA to sslyze's trust stores; `concurrency` caps parallel connections to the
    server (cipher enumeration dominates the run, so it sets the pace). Raises `ConnectorError` when no TLS
    connection can be made (see the module docstring) and `InputError` for an unusable `ca_bundle`.
    """
    scan = partial(scan_tls_sync, host, port, ca_bundle=ca_bundle, concurrency=concurrency, timeout=timeout)
    return await anyio.to_thread.run_sync(scan, abandon_on_cancel=True)


async def record_tls_scan(
    recorder: Recorder, host: str, port: int, *, ca_bundle: Path | None = None
) -> dict[str, JsonValue] | None:
    """Scan and record `tls.scan` (value or error) on `recorder`; returns the value, or None on error."""
    if not recorder.wants(EVIDENCE_KEY):
        return None
    try:
        value = await scan_tls(host, port, ca_bundle=ca_bundle)
    except ConnectorError as error:
        recorder.fail_from(EVIDENCE_KEY, error)
        return None
    recorder.add(EVIDENCE_KEY, value, source=endpoint_of(host, port))
    return value


def scan_tls_sync(
    host: str,
    port: int,
    *,
    ca_bundle: Path | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
    timeout: int = DEFAULT_TIMEOUT_SECONDS,
) -> dict[str, JsonValue]:
    """The blocking form of `scan_tls` (sslyze runs its own threads); same result and errors."""
    import sslyze  # imported here: sslyze takes ~0.2 s to import, which only a TLS scan should pay

    api: Any = sslyze  # sslyze's top-level names are re-exports that mypy does not see as exported
    endpoint = endpoint_of(host, port)
    _load_trust_stores()
    request = _scan_request(api, host, port, ca_bundle=ca_bundle, timeout=timeout, endpoint=endpoint)
    scanner = api.Scanner(per_server_concurrent_connections_limit=concurrency, concurrent_server_scans_limit=1)
    scanner.queue_scans([request])
    [result] = list(scanner.get_results())
    if result.scan_status != api.ServerScanStatusEnum.COMPLETED or result.scan_result is None:
        raise _connectivity_error(result.connectivity_error_trace, endpoint=endpoint, host=host, port=port)
    logger.debug("%s: scan completed", endpoint)
    return _to_evidence(result, host=host, port=port)


@cache
def _load_trust_stores() -> None:
    """Load sslyze's bundled trust stores once, hiding cryptography's warning about one legacy root.

    One root in a bundled store has a non-positive serial number; cryptography warns about it each time the
    store loads, which would print on every scan. The stores are cached by sslyze, so later scans reuse them.
    """
    from cryptography.utils import CryptographyDeprecationWarning
    from sslyze.plugins.certificate_info.trust_stores.trust_store_repository import TrustStoresRepository

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Parsed a serial number", category=CryptographyDeprecationWarning)
        TrustStoresRepository.get_default()


def _scan_request(sslyze: Any, host: str, port: int, *, ca_bundle: Path | None, timeout: int, endpoint: str) -> Any:
    from sslyze.mozilla_tls_profile.tls_config_checker import SCAN_COMMANDS_NEEDED_BY_MOZILLA_CHECKER

    try:
        location = sslyze.ServerNetworkLocation(hostname=host, port=port)
    except sslyze.ServerHostnameCouldNotBeResolved as error:
        raise ConnectorError(
            f"{host}: the host name cannot be resolved", endpoint=endpoint, reason=Reason.UNREACHABLE
        ) from error
    except UnicodeError as error:  # sslyze IDNA-encodes the name; over-long or invalid labels fail here
        raise ConnectorError(f"{host}: not a valid host name", endpoint=endpoint, reason=Reason.UNREACHABLE) from error
    network = sslyze.ServerNetworkConfiguration(
        tls_server_name_indication=location.hostname, network_timeout=timeout, network_max_retries=1
    )
    extra = sslyze.ScanCommandsExtraArguments(
        certificate_info=sslyze.CertificateInfoExtraArgument(custom_ca_file=_checked_bundle(ca_bundle))
        if ca_bundle is not None
        else None
    )
    return sslyze.ServerScanRequest(
        server_location=location,
        network_configuration=network,
        scan_commands=set(SCAN_COMMANDS_NEEDED_BY_MOZILLA_CHECKER),
        scan_commands_extra_arguments=extra,
    )


def _bundle_error(message: str) -> InputError:
    return InputError(f"--ca-bundle {message}")


def _checked_bundle(path: Path) -> Path:
    """`path` if it holds at least one PEM certificate; sslyze would otherwise fail deep inside a scan job."""
    data = files.read_regular(path, limit=MAX_CA_BUNDLE_BYTES, error=_bundle_error)
    try:
        x509.load_pem_x509_certificates(data)
    except ValueError as error:
        raise InputError(f"--ca-bundle {path}: not a readable PEM CA bundle") from error
    return path


def _connectivity_error(trace: TracebackException | None, *, endpoint: str, host: str, port: int) -> ConnectorError:
    kind = _exception_name(trace)
    reason = _CONNECTIVITY_REASONS.get(kind, Reason.UNREACHABLE)
    detail = _connectivity_detail(trace)
    return ConnectorError(f"{host}:{port}: no TLS connection ({detail})", endpoint=endpoint, reason=reason)


def _exception_name(trace: TracebackException | None) -> str:
    if trace is None:
        return ""
    name = getattr(trace, "exc_type_str", None)  # Python 3.13+; exc_type is deprecated there
    if isinstance(name, str):
        return name.rpartition(".")[2]
    kind = getattr(trace, "exc_type", None)
    return kind.__name__ if isinstance(kind, type) else ""


def _connectivity_detail(trace: TracebackException | None) -> str:
    text = str(trace) if trace is not None else ""
    _, arrow, message = text.partition("->")
    detail = (message if arrow else text).strip().strip(".").strip('"')
    return detail or "connection failed"


def _to_evidence(result: Any, *, host: str, port: int) -> dict[str, JsonValue]:
    attempts = result.scan_result
    protocols, cipher_suites, failed = _protocols(attempts)
    certificate = _completed(attempts.certificate_info, "certificate_info", failed)
    value: dict[str, JsonValue] = {
        "host": host,
        "port": port,
        "reachable": True,
        "error": None,
        "protocols": protocols,
        "cipher_suites": cipher_suites,
        "mozilla_intermediate": _mozilla_intermediate(result),
        "certificate": _certificate(certificate, host) if certificate is not None else None,
    }
    if failed:
        value["error"] = "scan commands failed: " + ", ".join(sorted(failed))
    return value


def _completed(attempt: Any, name: str, failed: list[str]) -> Any:
    """The result of a completed scan command; a failed one is noted in `failed` and gives None."""
    if attempt.result is None:
        reason = getattr(attempt.error_reason, "value", "not run")
        failed.append(f"{name} ({reason})")
    return attempt.result


def _protocols(attempts: Any) -> tuple[dict[str, JsonValue], dict[str, JsonValue], list[str]]:
    protocols: dict[str, JsonValue] = {}
    cipher_suites: dict[str, JsonValue] = {}
    failed: list[str] = []
    for name in PROTOCOLS:
        result = _completed(getattr(attempts, f"{name}_cipher_suites"), name, failed)
        if result is None:
            protocols[name] = None
            continue
        accepted = sorted({suite.cipher_suite.openssl_name for suite in result.accepted_cipher_suites})
        protocols[name] = bool(accepted)
        if accepted:
            cipher_suites[name] = accepted
    return protocols, cipher_suites, failed


@cache
def _intermediate_profile() -> Any:
    from sslyze.mozilla_tls_profile.tls_config_checker import MozillaTlsConfiguration, TlsConfigurationEnum

    return MozillaTlsConfiguration.get(TlsConfigurationEnum.MOZILLA_INTERMEDIATE)


def _mozilla_intermediate(result: Any) -> dict[str, JsonValue]:
    """sslyze's verdict against Mozilla intermediate; `compliant` is None when the scan was incomplete."""
    from sslyze.mozilla_tls_profile.tls_config_checker import (
        ServerNotCompliantWithTlsConfiguration,
        ServerScanResultIncomplete,
        check_server_against_tls_configuration,
    )

    try:
        check_server_against_tls_configuration(result, _intermediate_profile())
    except ServerNotCompliantWithTlsConfiguration as error:
        issues = [f"{category}: {_sorted_sets(message)}" for category, message in error.issues.items()]
        return {"compliant": False, "issues": sorted(issues)}
    except ServerScanResultIncomplete as error:
        return {"compliant": None, "issues": [f"incomplete: {error}"]}
    return {"compliant": True, "issues": []}


def _sorted_sets(message: str) -> str:
    """Sort the items of Python set literals in sslyze's messages (set order varies between runs)."""

    def sort_items(match: re.Match[str]) -> str:
        items = sorted(item.strip() for item in match.group(1).split(",") if item.strip())
        return "{" + ", ".join(items) + "}"

    return _SET_LITERAL.sub(sort_items, message)


def _certificate(info: Any, host: str) -> dict[str, JsonValue] | None:
    if not info.certificate_deployments:
        return None
    deployment = info.certificate_deployments[0]
    leaf: x509.Certificate = deployment.received_certificate_chain[0]
    matches = hostname_matches(leaf, host)
    key_type, key_size = _key_facts(leaf)
    return {
        "trusted": _trusted(deployment, leaf, matches),
        "hostname_matches": matches,
        "not_before": timestamp(leaf.not_valid_before_utc),
        "not_after": timestamp(leaf.not_valid_after_utc),
        "key_type": key_type,
        "key_size": key_size,
        "signature_algorithm": signature_algorithm(leaf),
        "subject": leaf.subject.rfc4514_string(),
        "issuer": leaf.issuer.rfc4514_string(),
    }


def _trusted(deployment: Any, leaf: x509.Certificate, matches: bool) -> bool:
    if deployment.verified_certificate_chain is not None:
        return True
    own_name = _own_subject(leaf)
    if matches or own_name is None:
        return False
    chain = deployment.received_certificate_chain_as_pem
    stores = [outcome.trust_store for outcome in deployment.path_validation_results]
    return any(store.verify_certificate_chain(chain, own_name).was_validation_successful for store in stores)


def _own_subject(leaf: x509.Certificate) -> x509.DNSName | x509.IPAddress | None:
    """A name the leaf itself carries, to validate its chain apart from the host that served it."""
    names = _alternative_names(leaf)
    for name in names:
        if isinstance(name, x509.DNSName) and "*" not in name.value:
            return name
        if isinstance(name, x509.IPAddress):
            return name
    return None


def _alternative_names(leaf: x509.Certificate) -> list[x509.GeneralName]:
    try:
        extension = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    except (x509.ExtensionNotFound, ValueError):
        return []
    return list(extension.value)


def hostname_matches(leaf: x509.Certificate, host: str) -> bool:
    """True when `host` (a DNS name or IP address) is among the leaf's subjectAltName entries."""
    names = _alternative_names(leaf)
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        wanted = host.rstrip(".").lower()
        patterns = [name.value.lower() for name in names if isinstance(name, x509.DNSName)]
        return any(_dns_match(pattern, wanted) for pattern in patterns)
    return any(isinstance(name, x509.IPAddress) and name.value == address for name in names)


def _dns_match(pattern: str, host: str) -> bool:
    if not pattern.startswith("*."):
        return pattern == host
    label, _, rest = host.partition(".")
    return bool(label) and rest == pattern[2:]


_KEY_TYPES: tuple[tuple[type, str, Callable[[Any], int]], ...] = (
    (rsa.RSAPublicKey, "RSA", lambda key: key.key_size),
    (ec.EllipticCurvePublicKey, "EC", lambda key: key.key_size),
    (dsa.DSAPublicKey, "DSA", lambda key: key.key_size),
    (ed25519.Ed25519PublicKey, "Ed25519", lambda _: 256),
    (ed448.Ed448PublicKey, "Ed448", lambda _: 456),
)


def _key_facts(leaf: x509.Certificate) -> tuple[str | None, int | None]:
    key = leaf.public_key()
    for kind, name, size in _KEY_TYPES:
        if isinstance(key, kind):
            return name, size(key)
    return None, None


def signature_algorithm(leaf: x509.Certificate) -> str:
    """The leaf's signature hash in lower case (`sha256`, `sha1`, `md5`), or the algorithm for EdDSA."""
    try:
        hash_algorithm = leaf.signature_hash_algorithm
    except UnsupportedAlgorithm:
        hash_algorithm = None
    if hash_algorithm is not None:
        return hash_algorithm.name.lower()
    oid = leaf.signature_algorithm_oid
    name = getattr(oid, "_name", "")
    return name.lower() if name and name != "Unknown OID" else oid.dotted_string
