"""CRM-AUTH-014: clickjack protection is on."""

from crmsec.plugin import Dimension, Evidence, Finding, Severity, check, setting_enabled

KEY = "auth.session_settings"
SETTING = "clickjack_protection"


@check(
    id="CRM-AUTH-014",
    title="Clickjack protection is on",
    dimension=Dimension.AUTHENTICATION,
    severity=Severity.MEDIUM,
    requires=(KEY,),
    rationale=(
        "Pages that may be framed by any site let an attacker trick signed-in users into clicks they never "
        "meant, such as approving or exporting records."
    ),
    remediation=(
        "Turn on clickjack_protection for setup and user pages (Salesforce: Session Settings, Enable clickjack "
        "protection)."
    ),
    references=(
        "https://cheatsheetseries.owasp.org/cheatsheets/Clickjacking_Defense_Cheat_Sheet.html",
        "https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_securitysettings.htm",
    ),
    frameworks={"iso27001_2022": ("A.8.26",), "soc2": ("CC6.1",), "nist_csf_2": ("PR.PS-01",)},
)
def clickjack_protection(evidence: Evidence) -> list[Finding]:
    """PASS when clickjack_protection is on, FAIL when it is off, MANUAL when the platform does not expose it."""
    return setting_enabled(
        evidence,
        KEY,
        SETTING,
        enabled="Clickjack protection is on.",
        disabled="Clickjack protection is off: pages can be framed by other sites.",
        unexposed="The platform does not expose the clickjack protection setting; check the session settings by hand.",
    )
