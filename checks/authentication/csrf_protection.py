"""CRM-AUTH-015: CSRF protection is on."""

from crmsec.plugin import Dimension, Evidence, Finding, Severity, check, setting_enabled

KEY = "auth.session_settings"
SETTING = "csrf_protection"


@check(
    id="CRM-AUTH-015",
    title="CSRF protection is on",
    dimension=Dimension.AUTHENTICATION,
    severity=Severity.MEDIUM,
    requires=(KEY,),
    rationale=(
        "Without anti-CSRF tokens any web page a signed-in user visits can submit changes to the CRM in that "
        "user's name."
    ),
    remediation=(
        "Turn on csrf_protection (Salesforce: Session Settings, Enable CSRF protection on GET and POST requests)."
    ),
    references=(
        "https://cheatsheetseries.owasp.org/cheatsheets/Cross-Site_Request_Forgery_Prevention_Cheat_Sheet.html",
        "https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_securitysettings.htm",
    ),
    frameworks={"iso27001_2022": ("A.8.26",), "soc2": ("CC6.1",), "nist_csf_2": ("PR.PS-01",)},
)
def csrf_protection(evidence: Evidence) -> list[Finding]:
    """PASS when csrf_protection is on, FAIL when it is off, MANUAL when the platform does not expose it."""
    return setting_enabled(
        evidence,
        KEY,
        SETTING,
        enabled="CSRF protection is on.",
        disabled="CSRF protection is off.",
        unexposed="The platform does not expose the CSRF protection setting; check the session settings by hand.",
    )
