"""CRM-AUTH-001: multi-factor authentication is enforced for every user."""

from crmsec.plugin import Dimension, Evidence, EvidenceError, Finding, JsonValue, Severity, Status, check

KEY = "auth.mfa"


@check(
    id="CRM-AUTH-001",
    title="MFA is enforced for every user",
    dimension=Dimension.AUTHENTICATION,
    severity=Severity.HIGH,
    requires=(KEY,),
    rationale=(
        "Phished and reused passwords are the most common way into SaaS applications; a second factor stops "
        "almost all of those attempts."
    ),
    remediation=(
        "Require MFA for all user-interface logins (Salesforce: Multi-Factor Authentication for User Interface "
        "Logins), or enforce it at the identity provider for single sign-on users and record that."
    ),
    references=(
        "https://pages.nist.gov/800-63-3/sp800-63b.html",
        "https://www.cisa.gov/MFA",
    ),
    frameworks={
        "iso27001_2022": ("A.8.5",),
        "soc2": ("CC6.1",),
        "gdpr": ("Art. 32",),
        "nist_csf_2": ("PR.AA-03",),
        "gbt22239_2019_l3": ("8.1.4.1",),
    },
)
def mfa_enforced_for_all(evidence: Evidence) -> list[Finding]:
    """PASS when enforced_for_all is true, FAIL when false, MANUAL when the platform cannot tell."""
    mfa = evidence.mapping(KEY)
    if "enforced_for_all" not in mfa:
        raise EvidenceError(f"{KEY} lacks enforced_for_all")
    value, enforcement = mfa["enforced_for_all"], mfa.get("enforcement")
    details: dict[str, JsonValue] = {"actual": value, "enforcement": enforcement}
    if value is None:
        where = " (it is delegated to the identity provider)" if enforcement == "idp" else ""
        message = f"The platform cannot tell whether MFA is enforced for all users{where}; verify it by hand."
        return [Finding(Status.MANUAL, resource="organization", message=message, details=details)]
    if not isinstance(value, bool):
        raise EvidenceError(f"{KEY}: enforced_for_all should be a boolean")
    if value:
        message = f"MFA is enforced for every user (enforcement: {enforcement or 'unspecified'})."
        return [Finding(Status.PASS, resource="organization", message=message, details=details)]
    return [Finding(Status.FAIL, "organization", "MFA is not enforced for every user.", details)]
