"""CRM-TLS-010: the certificate is not signed with a broken hash."""

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
    id="CRM-TLS-010",
    title="Certificate signature avoids SHA-1 and MD5",
    dimension=Dimension.TLS,
    severity=Severity.HIGH,
    requires=(TLS_SCAN,),
    params={"weak_algorithms": ["md2", "md4", "md5", "sha1"]},
    rationale=(
        "Collisions for MD5 and SHA-1 are practical, so a certificate signed with them can be forged; "
        "browsers have refused SHA-1 certificates since 2017."
    ),
    remediation="Reissue the certificate with a SHA-256 (or stronger) signature.",
    references=(
        "https://shattered.io/",
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
def certificate_signature_algorithm(evidence: Evidence, *, weak_algorithms: list[str]) -> list[Finding]:
    """FAIL when the leaf's signature hash is one of weak_algorithms."""
    resource, certificate = scanned_certificate(evidence)
    algorithm = certificate.get("signature_algorithm")
    if not isinstance(algorithm, str) or not algorithm:
        raise EvidenceError("tls.scan: certificate.signature_algorithm is missing")
    weak = algorithm.lower().replace("-", "") in {name.lower().replace("-", "") for name in weak_algorithms}
    message = f"Certificate is signed with {algorithm}" + (", a broken hash." if weak else ".")
    return [
        Finding(
            Status.FAIL if weak else Status.PASS,
            resource=resource,
            message=message,
            details={"signature_algorithm": algorithm},
        )
    ]
