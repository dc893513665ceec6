"""CRM-TLS-001: SSL 2.0 and SSL 3.0 are refused."""

from crmsec.plugin import Dimension, Evidence, Finding, Severity, Status, check, protocol_accepted, reachable_tls_scan


@check(
    id="CRM-TLS-001",
    title="SSL 2.0 and SSL 3.0 are refused",
    dimension=Dimension.TLS,
    severity=Severity.CRITICAL,
    requires=("tls.scan",),
    rationale=(
        "SSL 2.0 and 3.0 are broken (DROWN, POODLE): a network attacker can recover session cookies and "
        "credentials from traffic to the CRM. Both are prohibited by RFC 6176 and RFC 7568."
    ),
    remediation="Disable SSLv2 and SSLv3 on every TLS endpoint of the CRM (server, load balancer, CDN).",
    references=(
        "https://www.rfc-editor.org/rfc/rfc6176",
        "https://www.rfc-editor.org/rfc/rfc7568",
        "https://wiki.mozilla.org/Security/Server_Side_TLS",
    ),
    frameworks={
        "iso27001_2022": ("A.8.24", "A.8.20"),
        "soc2": ("CC6.7",),
        "nist_csf_2": ("PR.DS-02",),
        "gbt22239_2019_l3": ("8.1.2.2", "8.1.4.8"),
        "pipl": ("Art. 51",),
        "gdpr": ("Art. 32",),
    },
)
def legacy_ssl_disabled(evidence: Evidence) -> list[Finding]:
    """FAIL when the server accepts SSL 2.0 or SSL 3.0."""
    resource, scan = reachable_tls_scan(evidence)
    accepted = [name for name in ("ssl_2_0", "ssl_3_0") if protocol_accepted(scan, name)]
    status = Status.FAIL if accepted else Status.PASS
    message = f"Server accepts {', '.join(accepted)}." if accepted else "Server refuses SSL 2.0 and SSL 3.0."
    return [Finding(status, resource=resource, message=message, details={"accepted": accepted})]
