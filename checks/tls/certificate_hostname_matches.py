"""CRM-TLS-007: the certificate names the host it is served for."""

from crmsec.plugin import (
    TLS_SCAN,
    Dimension,
    Evidence,
    EvidenceError,
    Finding,
    Severity,
    Status,
    check,
    scanned_certificate,
)


@check(
    id="CRM-TLS-007",
    title="Certificate matches the host name",
    dimension=Dimension.TLS,
    severity=Severity.HIGH,
    requires=(TLS_SCAN,),
    rationale=(
        "A certificate for another name is refused by browsers and verifying clients; where users or "
        "integrations accept it anyway, any certificate would do, so the connection is open to interception."
    ),
    remediation="Issue the certificate with the CRM's host name in its subjectAltName (DNS name or IP address).",
    references=("https://www.rfc-editor.org/rfc/rfc9525",),
    frameworks={
        "iso27001_2022": ("A.8.24",),
        "soc2": ("CC6.7",),
        "nist_csf_2": ("PR.DS-02",),
        "gbt22239_2019_l3": ("8.1.2.2", "8.1.4.8"),
        "pipl": ("Art. 51",),
        "gdpr": ("Art. 32",),
    },
)
def certificate_hostname_matches(evidence: Evidence) -> list[Finding]:
    """FAIL when the scanned host is not among the certificate's subjectAltName entries."""
    resource, certificate = scanned_certificate(evidence)
    matches = certificate.get("hostname_matches")
    if not isinstance(matches, bool):
        raise EvidenceError("tls.scan: certificate.hostname_matches is missing or not a boolean")
    subject = certificate.get("subject")
    message = (
        f"Certificate {subject} matches {resource}." if matches else f"Certificate {subject} does not match {resource}."
    )
    return [
        Finding(
            Status.PASS if matches else Status.FAIL, resource=resource, message=message, details={"subject": subject}
        )
    ]
