"""CRM-AUTH-010: passwords that never expire are backed by MFA."""

from crmsec.plugin import Dimension, Evidence, EvidenceError, Finding, JsonValue, Severity, Status, check

KEY = "auth.password_policy"
MFA = "auth.mfa"


@check(
    id="CRM-AUTH-010",
    title="Passwords that never expire are backed by MFA",
    dimension=Dimension.AUTHENTICATION,
    severity=Severity.MEDIUM,
    requires=(KEY,),
    optional=(MFA,),
    rationale=(
        "NIST SP 800-63B advises against forced periodic changes, which breed predictable passwords, provided a "
        "compromise is caught some other way; with neither expiry nor MFA a leaked password works for ever."
    ),
    remediation=(
        "Either enforce MFA for every user (then non-expiring passwords are fine) or set a password expiration "
        "period (e.g. 90 to 365 days)."
    ),
    references=(
        "https://pages.nist.gov/800-63-3/sp800-63b.html",
        "https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_securitysettings.htm",
    ),
    frameworks={
        "iso27001_2022": ("A.5.17",),
        "soc2": ("CC6.1",),
        "nist_csf_2": ("PR.AA-01",),
        "gbt22239_2019_l3": ("8.1.4.1",),
    },
)
def password_expiration(evidence: Evidence) -> list[Finding]:
    """Any expiration period PASSes; "never" (0) PASSes with MFA for all, FAILs without, MANUAL if unknown.

    The rule follows NIST SP 800-63B: a long or absent expiry is not a weakness in itself; it becomes one only
    when nothing else (MFA) limits what a leaked password can do.
    """
    policy = evidence.mapping(KEY)
    if "expiration_days" not in policy:
        raise EvidenceError(f"{KEY} lacks expiration_days")
    days = policy["expiration_days"]
    if days is None:
        message = "The platform does not expose the password expiration period; check the policy by hand."
        return [Finding(Status.MANUAL, resource="organization", message=message)]
    if not isinstance(days, int) or isinstance(days, bool) or days < 0:
        raise EvidenceError(f"{KEY}: expiration_days should be a non-negative integer")
    if days > 0:
        message = f"Passwords expire after {days} days."
        return [Finding(Status.PASS, resource="organization", message=message, details={"expiration_days": days})]
    mfa_for_all = evidence.mapping(MFA).get("enforced_for_all") if evidence.has(MFA) else None
    details: dict[str, JsonValue] = {"expiration_days": 0, "mfa_enforced_for_all": mfa_for_all}
    if mfa_for_all is True:
        message = "Passwords never expire, which is acceptable because MFA is enforced for every user."
        return [Finding(Status.PASS, resource="organization", message=message, details=details)]
    if mfa_for_all is False:
        message = "Passwords never expire and MFA is not enforced for every user."
        return [Finding(Status.FAIL, resource="organization", message=message, details=details)]
    message = "Passwords never expire and whether MFA is enforced for every user is unknown; verify it by hand."
    return [Finding(Status.MANUAL, resource="organization", message=message, details=details)]
