"""CRM-TLS-013: cookies carry Secure, HttpOnly and SameSite (one finding per cookie)."""

from crmsec.plugin import Dimension, Evidence, EvidenceError, Finding, JsonValue, Severity, Status, check


@check(
    id="CRM-TLS-013",
    title="Cookies set Secure, HttpOnly and SameSite",
    dimension=Dimension.TLS,
    severity=Severity.MEDIUM,
    requires=("http.probe",),
    params={"http_only_exempt": ["csrftoken", "xsrf-token", "csrf_token"]},
    rationale=(
        "A session cookie without Secure leaks over any plain-HTTP request, one without HttpOnly can be read "
        "by injected script, and one without SameSite rides along on cross-site requests (CSRF)."
    ),
    remediation=(
        "Set `Secure; HttpOnly; SameSite=Lax` (or Strict) on session cookies; cookies that scripts must read "
        "(CSRF tokens, listed in http_only_exempt) still need Secure and SameSite."
    ),
    references=(
        "https://httpwg.org/http-extensions/draft-ietf-httpbis-rfc6265bis.html",
        "https://owasp.org/www-community/controls/SecureCookieAttribute",
    ),
    frameworks={
        "iso27001_2022": ("A.8.26", "A.8.24"),
        "soc2": ("CC6.7", "CC6.6"),
        "nist_csf_2": ("PR.DS-02",),
        "gbt22239_2019_l3": ("8.1.4.8", "8.1.4.4"),
        "pipl": ("Art. 51",),
        "gdpr": ("Art. 32",),
    },
)
def cookie_flags(evidence: Evidence, *, http_only_exempt: list[str]) -> list[Finding]:
    """Per cookie: FAIL without Secure or (unless exempt) HttpOnly, WARN without SameSite or with None.

    MANUAL when the probe's answer does not describe the target (another origin answered).
    """
    probe = evidence.mapping("http.probe")
    if probe.get("describes_target") is False:
        url = str(probe.get("url"))
        message = (
            f"The probe ended at {url}, not on the target's own origin; the target's cookies are unknown: "
            "check them by hand or scan the final URL."
        )
        return [Finding(Status.MANUAL, resource=url, message=message)]
    cookies = probe.get("cookies")
    if not isinstance(cookies, list) or not all(isinstance(cookie, dict) for cookie in cookies):
        raise EvidenceError("http.probe lacks a list of cookies")
    if not cookies:
        return [Finding(Status.NOT_APPLICABLE, resource=str(probe.get("url")), message="The response sets no cookies.")]
    exempt = {name.lower() for name in http_only_exempt}
    return [_judge(cookie, exempt) for cookie in cookies]


def _judge(cookie: dict[str, JsonValue], exempt: set[str]) -> Finding:
    name = cookie.get("name")
    if not isinstance(name, str):
        raise EvidenceError("http.probe: a cookie lacks its name")
    same_site = str(cookie.get("same_site") or "").lower() or None
    failures = []
    if cookie.get("secure") is not True:
        failures.append("no Secure")
    if cookie.get("http_only") is not True and name.lower() not in exempt:
        failures.append("no HttpOnly")
    warnings = []
    if same_site is None:
        warnings.append("no SameSite")
    elif same_site == "none":
        warnings.append("SameSite=None")
    problems = failures + warnings
    status = Status.FAIL if failures else Status.WARN if warnings else Status.PASS
    message = (
        f"Cookie {name}: {', '.join(problems)}." if problems else f"Cookie {name} sets Secure, HttpOnly, SameSite."
    )
    details: dict[str, JsonValue] = {key: cookie.get(key) for key in ("secure", "http_only", "same_site")}
    return Finding(status, resource=f"cookie:{name}", message=message, details=details)
