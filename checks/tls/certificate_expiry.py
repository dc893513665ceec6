"""CRM-TLS-008: the certificate is valid and not about to expire."""

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
    id="CRM-TLS-008",
    title="Certificate is valid and not close to expiry",
    dimension=Dimension.TLS,
    severity=Severity.HIGH,
    requires=(TLS_SCAN,),
    params={"warn_days": 30, "fail_days": 7},
    rationale=(
        "An expired certificate takes the CRM offline for verifying clients and pushes users to click through "
        "warnings; a certificate close to expiry shows that renewal is not automated or not monitored."
    ),
    remediation=("Renew the certificate (automate renewal, e.g. with ACME) and alert well before warn_days remain."),
    references=("https://www.rfc-editor.org/rfc/rfc8555", "https://www.rfc-editor.org/rfc/rfc5280"),
    frameworks={
        "iso27001_2022": ("A.8.24",),
        "soc2": ("CC6.7",),
        "nist_csf_2": ("PR.DS-02",),
        "gbt22239_2019_l3": ("8.1.2.2", "8.1.4.8"),
        "pipl": ("Art. 51",),
        "gdpr": ("Art. 32",),
    },
)
def certificate_expiry(evidence: Evidence, *, warn_days: int, fail_days: int) -> list[Finding]:
    """FAIL when expired, not yet valid or under fail_days left; WARN under warn_days (as of collection)."""
    resource, certificate = scanned_certificate(evidence)
    now = evidence.collected_at(TLS_SCAN)
    not_before = evidence.timestamp(TLS_SCAN, certificate.get("not_before"))
    not_after = evidence.timestamp(TLS_SCAN, certificate.get("not_after"))
    if not_before is None or not_after is None:
        raise EvidenceError("tls.scan: certificate.not_before/not_after are missing")
    days_left = (not_after - now).total_seconds() / 86400
    details: dict[str, JsonValue] = {
        "not_after": certificate.get("not_after"),
        "days_left": round(days_left, 1),
        "warn_days": warn_days,
        "fail_days": fail_days,
    }
    if now < not_before:
        return [Finding(Status.FAIL, resource=resource, message="Certificate is not valid yet.", details=details)]
    if days_left <= 0:
        message = f"Certificate expired on {certificate.get('not_after')}."
        status = Status.FAIL
    else:
        message = f"Certificate expires in {days_left:.0f} day(s), on {certificate.get('not_after')}."
        status = Status.FAIL if days_left < fail_days else Status.WARN if days_left < warn_days else Status.PASS
    return [Finding(status, resource=resource, message=message, details=details)]
