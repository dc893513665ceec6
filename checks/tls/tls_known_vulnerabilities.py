"""CRM-TLS-014: the TLS stack resists known attacks (Heartbleed, ROBOT, CCS injection, downgrade, ...)."""

from crmsec.plugin import Dimension, Evidence, EvidenceError, Finding, JsonValue, Severity, Status, check

PREFIX = "tls_vulnerability_"
"""sslyze's issue categories for TLS vulnerabilities (tls.scan mozilla_intermediate.issues)."""


@check(
    id="CRM-TLS-014",
    title="TLS stack resists known attacks",
    dimension=Dimension.TLS,
    severity=Severity.HIGH,
    requires=("tls.scan",),
    rationale=(
        "Heartbleed leaks server memory (keys, session cookies); ROBOT and CCS injection break confidentiality; "
        "missing fallback SCSV, secure renegotiation or extended master secret enable downgrade and "
        "man-in-the-middle attacks on CRM sessions."
    ),
    remediation=(
        "Update the TLS library of the endpoint, disable TLS compression and RSA key exchange, and enable "
        "TLS_FALLBACK_SCSV, secure renegotiation and the extended master secret extension."
    ),
    references=(
        "https://wiki.mozilla.org/Security/Server_Side_TLS",
        "https://heartbleed.com/",
        "https://robotattack.org/",
    ),
    frameworks={
        "iso27001_2022": ("A.8.24", "A.8.8"),
        "soc2": ("CC6.7", "CC7.1"),
        "nist_csf_2": ("PR.DS-02", "ID.RA-01"),
        "gbt22239_2019_l3": ("8.1.2.2", "8.1.4.4"),
        "pipl": ("Art. 51",),
        "gdpr": ("Art. 32",),
    },
)
def tls_known_vulnerabilities(evidence: Evidence) -> list[Finding]:
    """FAIL with the vulnerabilities sslyze found while checking against Mozilla intermediate."""
    scan = evidence.mapping("tls.scan")
    if scan.get("reachable") is not True:
        raise EvidenceError(f"tls.scan: the host was not reachable ({scan.get('error') or 'no reason given'})")
    resource = f"{scan.get('host')}:{scan.get('port')}"
    verdict = scan.get("mozilla_intermediate")
    issues: JsonValue = verdict.get("issues") if isinstance(verdict, dict) else None
    if not isinstance(verdict, dict) or not isinstance(verdict.get("compliant"), bool) or not isinstance(issues, list):
        raise EvidenceError("tls.scan: the vulnerability tests did not complete (no Mozilla verdict)")
    found = sorted(str(issue) for issue in issues if str(issue).startswith(PREFIX))
    names = [issue.partition(":")[0].removeprefix(PREFIX) for issue in found]
    status = Status.FAIL if found else Status.PASS
    message = f"Vulnerable or missing protection: {', '.join(names)}." if found else "No known TLS vulnerability found."
    return [Finding(status, resource=resource, message=message, details={"issues": found})]
