"""CRM-AUTH-013: session cookies are HttpOnly."""

from crmsec.plugin import Dimension, Evidence, Finding, Severity, check, setting_enabled

KEY = "auth.session_settings"
SETTING = "http_only_cookies"


@check(
    id="CRM-AUTH-013",
    title="Session cookies are HttpOnly",
    dimension=Dimension.AUTHENTICATION,
    severity=Severity.MEDIUM,
    requires=(KEY,),
    rationale=("Script-readable session cookies turn any cross-site scripting flaw into a full account takeover."),
    remediation=("Turn on http_only_cookies (Salesforce: Session Settings, Require HttpOnly attribute)."),
    references=(
        "https://cheatsheetseries.owasp.org/cheatsheets/Session_Management_Cheat_Sheet.html",
        "https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_securitysettings.htm",
    ),
    frameworks={
        "iso27001_2022": ("A.8.5",),
        "soc2": ("CC6.1",),
        "nist_csf_2": ("PR.AA-03",),
        "gbt22239_2019_l3": ("8.1.4.1",),
    },
)
def http_only_session_cookies(evidence: Evidence) -> list[Finding]:
    """PASS when http_only_cookies is on, FAIL when it is off, MANUAL when the platform does not expose it."""
    return setting_enabled(
        evidence,
        KEY,
        SETTING,
        enabled="Session cookies carry the HttpOnly attribute.",
        disabled="Session cookies are readable by scripts (no HttpOnly).",
        unexposed=(
            "The platform does not expose whether session cookies are HttpOnly; check the session settings by hand."
        ),
    )
