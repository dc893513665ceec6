"""CRM-TLS-012: the browser security headers are set (one finding per header)."""

from crmsec.plugin import Dimension, Evidence, EvidenceError, Finding, JsonValue, Severity, Status, check

UNSAFE_SCRIPT_SOURCES = ("'unsafe-eval'", "*")
HEADERS = ("content-security-policy", "x-frame-options", "x-content-type-options", "referrer-policy")
NONCE_OR_HASH = ("'nonce-", "'sha256-", "'sha384-", "'sha512-", "'strict-dynamic'")


@check(
    id="CRM-TLS-012",
    title="Browser security headers are set",
    dimension=Dimension.TLS,
    severity=Severity.MEDIUM,
    requires=("http.probe",),
    params={"weak_referrer_policies": ["unsafe-url", "no-referrer-when-downgrade"]},
    rationale=(
        "A CRM renders customer-supplied text. Content-Security-Policy limits what injected script can do, "
        "frame protection stops clickjacking of admin actions, nosniff stops content-type confusion, and a "
        "Referrer-Policy keeps record ids and tokens in URLs from leaking to other sites."
    ),
    remediation=(
        "Send Content-Security-Policy (with frame-ancestors, without 'unsafe-inline'/'unsafe-eval' for "
        "scripts), X-Frame-Options: DENY or SAMEORIGIN, X-Content-Type-Options: nosniff and "
        "Referrer-Policy: strict-origin-when-cross-origin (or stricter)."
    ),
    references=(
        "https://owasp.org/www-project-secure-headers/",
        "https://www.w3.org/TR/CSP3/",
        "https://www.w3.org/TR/referrer-policy/",
    ),
    frameworks={
        "iso27001_2022": ("A.8.26",),
        "soc2": ("CC6.6",),
        "nist_csf_2": ("PR.PS-01",),
        "gbt22239_2019_l3": ("8.1.4.4",),
        "pipl": ("Art. 51",),
        "gdpr": ("Art. 32",),
    },
)
def security_headers(evidence: Evidence, *, weak_referrer_policies: list[str]) -> list[Finding]:
    """One finding each for CSP, frame protection, X-Content-Type-Options and Referrer-Policy.

    All four are MANUAL when the probe's answer does not describe the target (another origin answered).
    """
    probe = evidence.mapping("http.probe")
    if probe.get("describes_target") is False:
        return [_unknown(name, probe.get("url")) for name in HEADERS]
    headers = probe.get("headers")
    if not isinstance(headers, dict):
        raise EvidenceError("http.probe lacks a headers object")
    policy = _directives(str(headers.get("content-security-policy") or ""))
    return [
        _content_security_policy(headers, policy),
        _frame_protection(headers, policy),
        _content_type_options(headers),
        _referrer_policy(headers, weak_referrer_policies),
    ]


def _finding(status: Status, header: str, message: str, value: JsonValue) -> Finding:
    return Finding(status, resource=f"header:{header}", message=message, details={"value": value})


def _unknown(header: str, url: JsonValue) -> Finding:
    message = (
        f"The probe ended at {url}, not on the target's own origin; whether the target sends {header} "
        "is unknown: check its pages by hand or scan the final URL."
    )
    return _finding(Status.MANUAL, header, message, None)


def _directives(value: str) -> dict[str, list[str]]:
    """CSP directives by lower-case name; several policies (comma-joined headers) are merged."""
    found: dict[str, list[str]] = {}
    for policy in value.split(","):
        for directive in policy.split(";"):
            tokens = directive.split()
            if tokens:
                found.setdefault(tokens[0].lower(), tokens[1:])
    return found


def _content_security_policy(headers: dict[str, JsonValue], policy: dict[str, list[str]]) -> Finding:
    name = "content-security-policy"
    value = headers.get(name)
    if not value:
        only_report = bool(headers.get("content-security-policy-report-only"))
        note = " (only a report-only policy, which blocks nothing)" if only_report else ""
        return _finding(Status.FAIL, name, f"No Content-Security-Policy{note}.", None)
    scripts = policy.get("script-src", policy.get("default-src"))
    if scripts is None:
        return _finding(Status.WARN, name, "Content-Security-Policy does not restrict scripts.", value)
    lowered = [source.lower() for source in scripts]
    inline = "'unsafe-inline'" in lowered and not any(s.startswith(NONCE_OR_HASH) for s in lowered)
    unsafe = [source for source in lowered if source in UNSAFE_SCRIPT_SOURCES] + (["'unsafe-inline'"] if inline else [])
    if unsafe:
        return _finding(Status.WARN, name, f"Content-Security-Policy allows scripts from {', '.join(unsafe)}.", value)
    return _finding(Status.PASS, name, "Content-Security-Policy restricts scripts.", value)


def _frame_protection(headers: dict[str, JsonValue], policy: dict[str, list[str]]) -> Finding:
    name = "x-frame-options"
    value = str(headers.get(name) or "").strip().upper()
    if "frame-ancestors" in policy:
        return _finding(Status.PASS, name, "Framing is restricted by CSP frame-ancestors.", policy["frame-ancestors"])
    if value in ("DENY", "SAMEORIGIN"):
        return _finding(Status.PASS, name, f"X-Frame-Options is {value}.", value)
    shown = f"X-Frame-Options is {value!r}" if value else "No X-Frame-Options"
    return _finding(Status.FAIL, name, f"{shown} and no CSP frame-ancestors: pages can be framed.", value or None)


def _content_type_options(headers: dict[str, JsonValue]) -> Finding:
    name = "x-content-type-options"
    value = headers.get(name)
    if str(value or "").strip().lower() == "nosniff":
        return _finding(Status.PASS, name, "X-Content-Type-Options is nosniff.", value)
    return _finding(Status.FAIL, name, "X-Content-Type-Options: nosniff is missing.", value)


def _referrer_policy(headers: dict[str, JsonValue], weak: list[str]) -> Finding:
    name = "referrer-policy"
    value = headers.get(name)
    tokens = [token.strip().lower() for token in str(value or "").split(",") if token.strip()]
    if not tokens:
        return _finding(Status.WARN, name, "No Referrer-Policy (the browser default applies).", None)
    effective = tokens[-1]  # browsers apply the last policy they understand
    if effective in {policy.lower() for policy in weak}:
        return _finding(Status.FAIL, name, f"Referrer-Policy {effective} leaks full URLs to other sites.", value)
    return _finding(Status.PASS, name, f"Referrer-Policy is {effective}.", value)
