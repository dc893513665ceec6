"""CRM-TLS-009: the certificate key is strong enough."""

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
    id="CRM-TLS-009",
    title="Certificate key is strong enough",
    dimension=Dimension.TLS,
    severity=Severity.HIGH,
    requires=(TLS_SCAN,),
    params={"rsa_min_bits": 2048, "ec_min_bits": 256},
    rationale=(
        "RSA keys under 2048 bits and elliptic-curve keys under 256 bits are within reach of well-funded "
        "attackers; a factored server key lets them impersonate the CRM. DSA is no longer accepted for TLS."
    ),
    remediation="Reissue the certificate with an RSA key of at least rsa_min_bits or an EC key (P-256 or better).",
    references=(
        "https://csrc.nist.gov/pubs/sp/800/57/pt1/r5/final",
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
def certificate_key_size(evidence: Evidence, *, rsa_min_bits: int, ec_min_bits: int) -> list[Finding]:
    """FAIL for RSA under rsa_min_bits, EC under ec_min_bits, and DSA; Ed25519/Ed448 pass."""
    resource, certificate = scanned_certificate(evidence)
    key_type = certificate.get("key_type")
    key_size = certificate.get("key_size")
    if not isinstance(key_type, str) or not isinstance(key_size, int) or isinstance(key_size, bool):
        raise EvidenceError("tls.scan: certificate.key_type/key_size are missing")
    limits = {"RSA": rsa_min_bits, "EC": ec_min_bits, "Ed25519": 0, "Ed448": 0}
    limit = limits.get(key_type)
    status = Status.PASS if limit is not None and key_size >= limit else Status.FAIL
    shown = f"{key_type} {key_size}-bit key"
    if limit is None:
        message = f"{shown}: this key type is not accepted for TLS certificates."
    else:
        message = f"{shown} (minimum {limit} bits)." if limit else f"{shown}."
    details: dict[str, JsonValue] = {"key_type": key_type, "key_size": key_size, "minimum": limit}
    return [Finding(status, resource=resource, message=message, details=details)]
