"""CRM-AUTH-012: HTTPS is required for every session."""

from crmsec.plugin import Dimension, Evidence, Finding, Severity, check, setting_enabled

KEY = "auth.session_settings"
SETTING = "https_required"


@check(
    id="CRM-AUTH-012",
    title="HTTPS is required for every session",
    dimension=Dimension.AUTHENTICATION,
    severity=Severity.HIGH,
    requires=(KEY,),
    rationale=(
        "Without enforced HTTPS a session cookie or password can cross the network in clear text and be "
        "replayed by anyone on the path."
    ),
    remediation=(
        "Turn on https_required (Salesforce: Session Settings, Require secure connections (HTTPS)) and redirect "
        "plain HTTP to HTTPS."
    ),
    references=(
        "https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_securitysettings.htm",
        "https://cheatsheetseries.owasp.org/cheatsheets/Transport_Layer_Security_Cheat_Sheet.html",
    ),
    frameworks={
        "iso27001_2022": ("A.8.5", "A.8.24"),
        "soc2": ("CC6.1", "CC6.7"),
        "gdpr": ("Art. 32",),
        "nist_csf_2": ("PR.DS-02",),
        "gbt22239_2019_l3": ("8.1.4.8",),
    },
)
def https_required(evidence: Evidence) -> list[Finding]:
    """PASS when https_required is on, FAIL when it is off, MANUAL when the platform does not expose it."""
    return setting_enabled(
        evidence,
        KEY,
        SETTING,
        enabled="HTTPS is required for every session.",
        disabled="HTTPS is not required: sessions may run over plain HTTP.",
        unexposed="The platform does not expose whether HTTPS is required; check the session settings by hand.",
    )
