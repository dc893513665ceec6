"""CRM-TLS-006: the certificate chain is trusted."""

from crmsec.plugin import (
    TLS_SCAN,
    Dimension,
    Evidence,
    EvidenceError,
    Finding,
    JsonValue,
    Severity,
    Status,
    check,
    scanned_certificate,
)


@check(
    id="CRM-TLS-006",
    title="Certificate chain is trusted",
    dimension=Dimension.TLS,
    severity=Severity.HIGH,
    requires=(TLS_SCAN,),
    rationale=(
        "A chain that does not validate (self-signed, unknown or missing intermediate, expired) trains users "
        "and integrations to click through warnings or disable verification, which invites interception."
    ),
    remediation=(
        "Serve a certificate from a publicly trusted CA (or the organization's CA, passed with --ca-bundle) "
        "together with its full intermediate chain."
    ),
    references=(
        "https://www.rfc-editor.org/rfc/rfc5280",
        "https://cabforum.org/working-groups/server/baseline-requirements/",
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
def certificate_trusted(evidence: Evidence) -> list[Finding]:
    """FAIL when the chain does not validate against the trust stores (and --ca-bundle)."""
    resource, certificate = scanned_certificate(evidence)
    trusted = certificate.get("trusted")
    if not isinstance(trusted, bool):
        raise EvidenceError("tls.scan: certificate.trusted is missing or not a boolean")
    issuer = certificate.get("issuer")
    message = f"Chain issued by {issuer} is trusted." if trusted else f"Chain issued by {issuer} is not trusted."
    details: dict[str, JsonValue] = {"issuer": issuer, "subject": certificate.get("subject")}
    return [Finding(Status.PASS if trusted else Status.FAIL, resource=resource, message=message, details=details)]
