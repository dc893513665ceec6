"""CRM-AUTH-005: passwords have a sufficient minimum length."""

from crmsec.plugin import Dimension, Evidence, EvidenceError, Finding, JsonValue, Severity, Status, check

KEY = "auth.password_policy"


@check(
    id="CRM-AUTH-005",
    title="Passwords have a sufficient minimum length",
    dimension=Dimension.AUTHENTICATION,
    severity=Severity.HIGH,
    requires=(KEY,),
    params={"min_password_length": 12},
    rationale="Length is what makes a password hard to guess or crack; short minimums invite short passwords.",
    remediation="Raise the minimum password length to at least min_password_length characters.",
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
def password_min_length(evidence: Evidence, *, min_password_length: int) -> list[Finding]:
    """FAIL when the minimum length is below min_password_length; MANUAL when the platform hides it."""
    policy = evidence.mapping(KEY)
    if "min_length" not in policy:
        raise EvidenceError(f"{KEY} lacks min_length")
    length = policy["min_length"]
    if length is None:
        message = "The platform does not expose the minimum password length; check the password policy by hand."
        return [Finding(Status.MANUAL, resource="organization", message=message)]
    if not isinstance(length, int) or isinstance(length, bool):
        raise EvidenceError(f"{KEY}: min_length should be an integer")
    status = Status.PASS if length >= min_password_length else Status.FAIL
    message = f"Minimum password length is {length} (required at least {min_password_length})."
    details: dict[str, JsonValue] = {"actual": length, "limit": min_password_length}
    return [Finding(status, resource="organization", message=message, details=details)]
