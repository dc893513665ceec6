"""CRM-TLS-004: TLS 1.2 or TLS 1.3 is offered."""

from crmsec.plugin import Dimension, Evidence, Finding, Severity, Status, check, protocol_accepted, reachable_tls_scan


@check(
    id="CRM-TLS-004",
    title="TLS 1.2 or newer is offered",
    dimension=Dimension.TLS,
    severity=Severity.HIGH,
    requires=("tls.scan",),
    params={"require_tls_1_3": False},
    rationale=(
        "Current browsers and API clients refuse anything older than TLS 1.2; a CRM endpoint without it is "
        "either unreachable for them or forced onto broken protocols. TLS 1.3 removes legacy key exchange."
    ),
    remediation=(
        "Enable TLS 1.2 and TLS 1.3 on every TLS endpoint of the CRM (set require_tls_1_3 to demand TLS 1.3)."
    ),
    references=(
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
def modern_tls_offered(evidence: Evidence, *, require_tls_1_3: bool) -> list[Finding]:
    """FAIL when neither TLS 1.2 nor TLS 1.3 is accepted (or TLS 1.3 is missing when required)."""
    resource, scan = reachable_tls_scan(evidence)
    offered = [name for name in ("tls_1_2", "tls_1_3") if protocol_accepted(scan, name)]
    if require_tls_1_3:
        status = Status.PASS if "tls_1_3" in offered else Status.FAIL
    else:
        status = Status.PASS if offered else Status.FAIL
    shown = ", ".join(offered) if offered else "neither TLS 1.2 nor TLS 1.3"
    message = f"Server offers {shown}" + (" (TLS 1.3 required)." if require_tls_1_3 else ".")
    return [Finding(status, resource=resource, message=message, details={"offered": offered})]
