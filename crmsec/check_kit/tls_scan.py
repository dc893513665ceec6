"""The TLS scan as checks read it: the reachable scan, its certificate, accepted protocols, a protocol check's body.

Part of the check kit, re-exported by `crmsec.plugin`. The calling check must declare `tls.scan`.
"""

from __future__ import annotations

from collections.abc import Mapping

from crmsec.errors import EvidenceError
from crmsec.evidence_view import Evidence
from crmsec.finding import Finding
from crmsec.vocabulary import JsonValue, Status

TLS_SCAN = "tls.scan"


def reachable_tls_scan(evidence: Evidence) -> tuple[str, dict[str, JsonValue]]:
    """The `tls.scan` value and its resource name ("host:port"); EvidenceError when the host was not reached."""
    scan = evidence.mapping(TLS_SCAN)
    if scan.get("reachable") is not True:
        raise EvidenceError(f"tls.scan: the host was not reachable ({scan.get('error') or 'no reason given'})")
    return f"{scan.get('host')}:{scan.get('port')}", scan


def scanned_certificate(evidence: Evidence) -> tuple[str, dict[str, JsonValue]]:
    """The leaf certificate of the reachable scan and its resource name ("host:port").

    EvidenceError when the host was not reached or no certificate was retrieved.
    """
    resource, scan = reachable_tls_scan(evidence)
    certificate = scan.get("certificate")
    if not isinstance(certificate, dict):
        raise EvidenceError(f"tls.scan: no certificate was retrieved ({scan.get('error') or 'no value'})")
    return resource, certificate


def protocol_accepted(scan: Mapping[str, JsonValue], protocol: str) -> bool:
    """Whether the server accepted `protocol` (e.g. "tls_1_0"); EvidenceError when it was not measured."""
    protocols = scan.get("protocols")
    value = protocols.get(protocol) if isinstance(protocols, dict) else None
    if not isinstance(value, bool):
        raise EvidenceError(f"tls.scan: protocols.{protocol} was not measured ({scan.get('error') or 'no value'})")
    return value


def protocol_name(protocol: str) -> str:
    """The display name of a `tls.scan` protocol key: "tls_1_0" -> "TLS 1.0", "ssl_3_0" -> "SSL 3.0"."""
    family, _, version = protocol.partition("_")
    return f"{family.upper()} {version.replace('_', '.')}"


def protocol_refused(evidence: Evidence, protocol: str) -> list[Finding]:
    """The whole body of a "`protocol` is refused" check: FAIL when the server accepts it, else PASS.

    The finding names the host ("host:port") and lists the cipher suites offered with that protocol.
    """
    resource, scan = reachable_tls_scan(evidence)
    accepted = protocol_accepted(scan, protocol)
    name = protocol_name(protocol)
    status = Status.FAIL if accepted else Status.PASS
    message = f"Server accepts {name}." if accepted else f"Server refuses {name}."
    suites = scan.get("cipher_suites")
    offered = suites.get(protocol, []) if isinstance(suites, dict) else []
    return [
        Finding(status, resource=resource, message=message, details={"accepted": accepted, "cipher_suites": offered})
    ]
