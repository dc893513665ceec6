"""CRM-AUTH-011: sessions are locked to the IP address they started from."""

from crmsec.plugin import Dimension, Evidence, Finding, Severity, Status, check, setting_enabled

KEY = "auth.session_settings"
SETTING = "lock_sessions_to_ip"


@check(
    id="CRM-AUTH-011",
    title="Sessions are locked to the IP address they started from",
    dimension=Dimension.AUTHENTICATION,
    severity=Severity.LOW,
    requires=(KEY,),
    rationale=(
        "A session cookie stolen by malware or a proxy works from anywhere unless the session is bound to the "
        "address that signed in; binding can disturb roaming users, hence a warning."
    ),
    remediation=(
        "Turn on lock_sessions_to_ip (Salesforce: Session Settings, Lock sessions to the IP address from which "
        "they originated) at least for admin and high-risk profiles."
    ),
    references=(
        "https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_securitysettings.htm",
        "https://cheatsheetseries.owasp.org/cheatsheets/Session_Management_Cheat_Sheet.html",
    ),
    frameworks={
        "iso27001_2022": ("A.8.5",),
        "soc2": ("CC6.1",),
        "nist_csf_2": ("PR.AA-03",),
        "gbt22239_2019_l3": ("8.1.4.1",),
    },
)
def sessions_locked_to_ip(evidence: Evidence) -> list[Finding]:
    """PASS when lock_sessions_to_ip is on, WARN when it is off, MANUAL when the platform does not expose it."""
    return setting_enabled(
        evidence,
        KEY,
        SETTING,
        enabled="Sessions are locked to the IP address they started from.",
        disabled="Sessions are not locked to their originating IP address.",
        unexposed=(
            "The platform does not expose whether sessions are locked to their IP; check the session settings by hand."
        ),
        when_disabled=Status.WARN,
    )
