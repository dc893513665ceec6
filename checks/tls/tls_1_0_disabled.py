"""CRM-TLS-002: TLS 1.0 is refused."""

from crmsec.plugin import TLS_SCAN, Dimension, Evidence, Finding, Severity, check, protocol_refused


@check(
    id="CRM-TLS-002",
    title="TLS 1.0 is refused",
    dimension=Dimension.TLS,
    severity=Severity.HIGH,
    requires=(TLS_SCAN,),
    rationale=(
        "TLS 1.0 lacks modern AEAD cipher suites and relies on SHA-1/MD5 in its handshake; RFC 8996 deprecates "
        "it, and PCI DSS and NIST SP 800-52r2 no longer accept it for protecting data in transit."
    ),
    remediation="Set the minimum protocol version of every TLS endpoint of the CRM to TLS 1.2.",
    references=(
        "https://www.rfc-editor.org/rfc/rfc8996",
        "https://csrc.nist.gov/pubs/sp/800/52/r2/final",
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
def tls_1_0_disabled(evidence: Evidence) -> list[Finding]:
    """FAIL when the server accepts TLS 1.0."""
    return protocol_refused(evidence, "tls_1_0")
