"""CRM-AUTH-018: single sign-on logins are protected by MFA at the identity provider."""

from crmsec.plugin import Dimension, Evidence, EvidenceError, Finding, JsonValue, Severity, Status, check

SSO = "auth.sso"
MFA = "auth.mfa"


@check(
    id="CRM-AUTH-018",
    title="Single sign-on logins are protected by MFA at the identity provider",
    dimension=Dimension.AUTHENTICATION,
    severity=Severity.HIGH,
    requires=(SSO,),
    optional=(MFA,),
    rationale=(
        "With single sign-on the CRM trusts whatever the identity provider asserts; the CRM's own MFA setting "
        "does not cover those logins, so MFA has to be enforced at the identity provider."
    ),
    remediation=(
        "Enforce MFA in the identity provider's policy for the CRM application and record it (auth.mfa "
        "enforcement 'idp'), or let the CRM require MFA for SSO logins too."
    ),
    references=(
        "https://pages.nist.gov/800-63-3/sp800-63c.html",
        "https://www.cisa.gov/MFA",
    ),
    frameworks={
        "iso27001_2022": ("A.8.5",),
        "soc2": ("CC6.1",),
        "nist_csf_2": ("PR.AA-03", "PR.AA-04"),
        "gbt22239_2019_l3": ("8.1.4.1",),
    },
)
def sso_mfa(evidence: Evidence) -> list[Finding]:
    """NOT_APPLICABLE without SSO; with SSO, PASS only when MFA enforcement is recorded at the IdP, else MANUAL."""
    sso = evidence.mapping(SSO)
    if "enabled" not in sso:
        raise EvidenceError(f"{SSO} lacks enabled")
    enabled = sso["enabled"]
    if enabled is False:
        return [Finding(Status.NOT_APPLICABLE, "organization", "Single sign-on is not enabled.")]
    providers = _provider_names(sso.get("providers"))
    if enabled is None:
        message = "The platform does not say whether single sign-on is enabled; check it by hand."
        return [Finding(Status.MANUAL, resource="organization", message=message)]
    if enabled is not True:
        raise EvidenceError(f"{SSO}: enabled should be a boolean")
    enforcement = evidence.mapping(MFA).get("enforcement") if evidence.has(MFA) else None
    details: dict[str, JsonValue] = {"providers": providers, "mfa_enforcement": enforcement}
    if enforcement == "idp":
        message = f"Single sign-on ({', '.join(providers) or 'unnamed provider'}) enforces MFA at the IdP."
        return [Finding(Status.PASS, resource="organization", message=message, details=details)]
    message = (
        "Single sign-on is enabled but no MFA enforcement at the identity provider is recorded; provide the "
        "IdP's MFA policy for the CRM application."
    )
    return [Finding(Status.MANUAL, resource="organization", message=message, details=details)]


def _provider_names(providers: JsonValue) -> list[str]:
    if providers is None:
        return []
    if not isinstance(providers, list):
        raise EvidenceError(f"{SSO}: providers should be a list")
    return sorted(str(item.get("name")) for item in providers if isinstance(item, dict))[:20]
