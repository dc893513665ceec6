"""CRM-AUTH-003: every active administrator has registered a second factor."""

from crmsec.plugin import Dimension, Evidence, EvidenceError, Finding, JsonValue, Severity, Status, check, field_of

KEY = "identity.users"


@check(
    id="CRM-AUTH-003",
    title="Every active administrator has registered MFA",
    dimension=Dimension.AUTHENTICATION,
    severity=Severity.HIGH,
    requires=(KEY,),
    rationale=(
        "An enforcement setting says MFA is required; a registered factor shows it is actually in use. An admin "
        "who never registered a factor may still sign in with a password through an exemption or a gap."
    ),
    remediation=(
        "Have every listed administrator register a verification method (authenticator app or security key) and "
        "remove any exemption; deactivate admin accounts nobody uses."
    ),
    references=(
        "https://pages.nist.gov/800-63-3/sp800-63b.html",
        "https://www.cisa.gov/MFA",
    ),
    frameworks={
        "iso27001_2022": ("A.8.5",),
        "soc2": ("CC6.1",),
        "nist_csf_2": ("PR.AA-03",),
        "gbt22239_2019_l3": ("8.1.4.1",),
    },
)
def admins_mfa_registered(evidence: Evidence) -> list[Finding]:
    """Per active human admin: PASS registered, FAIL not registered, MANUAL when the platform cannot tell.

    Integration users sign in with OAuth or certificates, not interactively, so they are not judged here.
    """
    findings = [
        _judge(user)
        for user in evidence.records(KEY)
        if field_of(user, "active", bool, key=KEY)
        and field_of(user, "is_admin", bool, key=KEY)
        and user.get("user_type") != "integration"
        and user.get("is_integration") is not True
    ]
    if findings:
        return findings
    return [Finding(Status.NOT_APPLICABLE, "organization", "No active human administrator to judge.")]


def _judge(user: dict[str, JsonValue]) -> Finding:
    username = field_of(user, "username", str, key=KEY)
    registered = user.get("mfa_registered")
    details: dict[str, JsonValue] = {"mfa_registered": registered, "sso": user.get("sso")}
    if registered is True:
        return Finding(Status.PASS, username, f"Admin {username} has registered MFA.", details)
    if registered is False:
        return Finding(Status.FAIL, username, f"Admin {username} has not registered MFA.", details)
    if registered is not None:
        raise EvidenceError(f"{KEY}: mfa_registered of {username} should be a boolean or null")
    message = f"The platform cannot tell whether admin {username} registered MFA; verify it by hand."
    return Finding(Status.MANUAL, resource=username, message=message, details=details)
