"""CRM-TLS-005: cipher suites and key exchange meet Mozilla's "intermediate" configuration."""

from crmsec.plugin import (
    Dimension,
    Evidence,
    EvidenceError,
    Finding,
    JsonValue,
    Severity,
    Status,
    check,
    reachable_tls_scan,
)

CIPHER_CATEGORIES = ("ciphers", "ciphersuites", "dh_param_size", "ecdh_param_size", "tls_curves")
"""sslyze's issue categories about cipher suites and key exchange (tls.scan mozilla_intermediate.issues)."""


@check(
    id="CRM-TLS-005",
    title="Cipher suites meet Mozilla intermediate",
    dimension=Dimension.TLS,
    severity=Severity.HIGH,
    requires=("tls.scan",),
    rationale=(
        "Cipher suites without forward secrecy or with CBC/SHA-1 constructions, weak DH groups and odd curves "
        "let recorded CRM traffic be decrypted later or weaken the handshake. Mozilla's intermediate profile "
        "is the widely used baseline that still serves every current client."
    ),
    remediation=(
        "Restrict the server's cipher suites, DH parameters and curves to Mozilla's intermediate configuration "
        "(https://ssl-config.mozilla.org/ generates it for common servers)."
    ),
    references=(
        "https://wiki.mozilla.org/Security/Server_Side_TLS",
        "https://ssl-config.mozilla.org/",
    ),
    frameworks={
        "iso27001_2022": ("A.8.24",),
        "soc2": ("CC6.7",),
        "nist_csf_2": ("PR.DS-02",),
        "gbt22239_2019_l3": ("8.1.2.2", "8.1.4.8"),
        "pipl": ("Art. 51",),
        "gdpr": ("Art. 32",),
    },
)
def mozilla_intermediate_ciphers(evidence: Evidence) -> list[Finding]:
    """FAIL when sslyze's Mozilla intermediate checker reports cipher, key exchange or curve issues."""
    resource, scan = reachable_tls_scan(evidence)
    verdict = scan.get("mozilla_intermediate")
    if not isinstance(verdict, dict) or not isinstance(verdict.get("compliant"), bool):
        raise EvidenceError(f"tls.scan: the Mozilla intermediate verdict is unknown ({_issues_text(verdict)})")
    issues = verdict.get("issues")
    if not isinstance(issues, list) or not all(isinstance(issue, str) for issue in issues):
        raise EvidenceError("tls.scan: mozilla_intermediate.issues should be a list of strings")
    relevant = [issue for issue in issues if issue.partition(":")[0].strip() in CIPHER_CATEGORIES]
    status = Status.FAIL if relevant else Status.PASS
    message = (
        f"{len(relevant)} cipher suite or key exchange issue(s) against Mozilla intermediate."
        if relevant
        else "Cipher suites and key exchange meet Mozilla intermediate."
    )
    details: dict[str, JsonValue] = {"issues": relevant, "cipher_suites": scan.get("cipher_suites")}
    return [Finding(status, resource=resource, message=message, details=details)]


def _issues_text(verdict: JsonValue) -> str:
    issues = verdict.get("issues") if isinstance(verdict, dict) else None
    return "; ".join(str(issue) for issue in issues) if isinstance(issues, list) and issues else "no verdict"
