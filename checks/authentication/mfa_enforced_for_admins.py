"""CRM-AUTH-002: multi-factor authentication is enforced for administrators."""

from crmsec.plugin import Dimension, Evidence, EvidenceError, Finding, JsonValue, Severity, Status, check

KEY = "auth.mfa"


@check(
    id="CRM-AUTH-002",
    title="MFA is enforced for administrators",
    dimension=Dimension.AUTHENTICATION,
    severity=Severity.CRITICAL,
    requires=(KEY,),
    rationale=(
        "An administrator's password alone opens every record and every setting; admins are the first accounts "
        "attackers phish."
    ),
    remediation=(
        "Require MFA at least for every admin profile and permission set (Salesforce: the Multi-Factor "
        "Authentication for User Interface Logins permission), ideally for everyone (CRM-AUTH-001)."
    ),
    references=(
        "https://pages.nist.gov/800-63-3/sp800-63b.html",
        "https://www.cisa.gov/MFA",
    ),
    frameworks={
        "iso27001_2022": ("A.8.5", "A.8.2"),
        "soc2": ("CC6.1",),
        "gdpr": ("Art. 32",),
        "nist_csf_2": ("PR.AA-03",),
        "gbt22239_2019_l3": ("8.1.4.1",),
    },
)
def mfa_enforced_for_admins(evidence: Evidence) -> list[Finding]:
    """PASS when MFA is enforced for admins (or for everyone), FAIL when not, MANUAL when unknown."""
    mfa = evidence.mapping(KEY)
    if "enforced_for_admins" not in mfa and "enforced_for_all" not in mfa:
        raise EvidenceError(f"{KEY} lacks enforced_for_admins and enforced_for_all")
    for_all, for_admins = mfa.get("enforced_for_all"), mfa.get("enforced_for_admins")
    for name, value in (("enforced_for_all", for_all), ("enforced_for_admins", for_admins)):
        if value is not None and not isinstance(value, bool):
            raise EvidenceError(f"{KEY}: {name} should be a boolean")
    details: dict[str, JsonValue] = {"enforced_for_admins": for_admins, "enforced_for_all": for_all,
                                     "enforcement": mfa.get("enforcement")}  # fmt: skip
    if for_admins is True or for_all is True:
        return [Finding(Status.PASS, "organization", "MFA is enforced for administrators.", details)]
    if for_admins is False:
        return [Finding(Status.FAIL, "organization", "MFA is not enforced for administrators.", details)]
    message = "The platform cannot tell whether MFA is enforced for administrators; verify it by hand."
    return [Finding(Status.MANUAL, resource="organization", message=message, details=details)]
