"""CRM-TLS-011: HSTS is sent with a long max-age."""

from crmsec.plugin import Dimension, Evidence, EvidenceError, Finding, JsonValue, Severity, Status, check


@check(
    id="CRM-TLS-011",
    title="HSTS is enabled with a long max-age",
    dimension=Dimension.TLS,
    severity=Severity.MEDIUM,
    requires=("http.probe",),
    params={"min_max_age": 31536000, "require_include_subdomains": False},
    rationale=(
        "Without Strict-Transport-Security a user's first request (typed URL, old bookmark) goes over plain "
        "HTTP, where an attacker on the network can strip TLS and capture CRM credentials (SSL stripping)."
    ),
    remediation=(
        "Send `Strict-Transport-Security: max-age=63072000; includeSubDomains` on every HTTPS response "
        "(at least min_max_age seconds)."
    ),
    references=(
        "https://www.rfc-editor.org/rfc/rfc6797",
        "https://owasp.org/www-project-secure-headers/",
    ),
    frameworks={
        "iso27001_2022": ("A.8.24", "A.8.26"),
        "soc2": ("CC6.7",),
        "nist_csf_2": ("PR.DS-02",),
        "gbt22239_2019_l3": ("8.1.2.2", "8.1.4.8"),
        "pipl": ("Art. 51",),
        "gdpr": ("Art. 32",),
    },
)
def hsts_max_age(evidence: Evidence, *, min_max_age: int, require_include_subdomains: bool) -> list[Finding]:
    """FAIL without HSTS, with max-age under min_max_age, or without includeSubDomains when required.

    MANUAL when the probe's answer does not describe the target (another origin answered): unknown.
    """
    probe = evidence.mapping("http.probe")
    url = probe.get("url")
    if not isinstance(url, str) or "hsts" not in probe:
        raise EvidenceError("http.probe lacks url or hsts")
    if probe.get("describes_target") is False:
        message = (
            f"The probe ended at {url}, not on the target's own origin; whether the target sends "
            "Strict-Transport-Security is unknown: check its responses by hand or scan the final URL."
        )
        return [_finding(Status.MANUAL, url, message, {"hsts": None, "min_max_age": min_max_age})]
    hsts = probe.get("hsts")
    details: dict[str, JsonValue] = {"hsts": hsts, "min_max_age": min_max_age}
    if not url.lower().startswith("https://"):
        return [_finding(Status.FAIL, url, "The site is served over plain HTTP, where HSTS cannot apply.", details)]
    if hsts is None:
        return [_finding(Status.FAIL, url, "No Strict-Transport-Security header.", details)]
    if not isinstance(hsts, dict):
        raise EvidenceError("http.probe: hsts should be an object or null")
    max_age = hsts.get("max_age")
    if not isinstance(max_age, int) or isinstance(max_age, bool):
        return [_finding(Status.FAIL, url, "Strict-Transport-Security has no valid max-age.", details)]
    problems = []
    if max_age < min_max_age:
        problems.append(f"max-age {max_age} s is under {min_max_age} s")
    if require_include_subdomains and hsts.get("include_subdomains") is not True:
        problems.append("includeSubDomains is missing")
    if problems:
        return [_finding(Status.FAIL, url, "HSTS is too weak: " + "; ".join(problems) + ".", details)]
    return [_finding(Status.PASS, url, f"HSTS is enabled with max-age {max_age} s.", details)]


def _finding(status: Status, url: str, message: str, details: dict[str, JsonValue]) -> Finding:
    return Finding(status, resource=url, message=message, details=details)
