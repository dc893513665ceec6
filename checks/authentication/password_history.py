"""CRM-AUTH-007: old passwords cannot be reused."""

from crmsec.plugin import Dimension, Evidence, EvidenceError, Finding, JsonValue, Severity, Status, check

KEY = "auth.password_policy"


@check(
    id="CRM-AUTH-007",
    title="Recent passwords cannot be reused",
    dimension=Dimension.AUTHENTICATION,
    severity=Severity.LOW,
    requires=(KEY,),
    params={"min_password_history": 5},
    rationale=(
        "When a password is reset after a compromise, a short or missing history lets the user set the "
        "compromised password straight back."
    ),
    remediation="Remember at least min_password_history previous passwords per user.",
    references=(
        "https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_securitysettings.htm",
        "https://www.cisecurity.org/controls/account-management",
    ),
    frameworks={
        "iso27001_2022": ("A.5.17",),
        "soc2": ("CC6.1",),
        "nist_csf_2": ("PR.AA-01",),
        "gbt22239_2019_l3": ("8.1.4.1",),
    },
)
def password_history(evidence: Evidence, *, min_password_history: int) -> list[Finding]:
    """FAIL when fewer than min_password_history passwords are remembered; MANUAL when hidden."""
    policy = evidence.mapping(KEY)
    if "history_count" not in policy:
        raise EvidenceError(f"{KEY} lacks history_count")
    count = policy["history_count"]
    if count is None:
        message = "The platform does not expose the password history; check the password policy by hand."
        return [Finding(Status.MANUAL, resource="organization", message=message)]
    if not isinstance(count, int) or isinstance(count, bool):
        raise EvidenceError(f"{KEY}: history_count should be an integer")
    status = Status.PASS if count >= min_password_history else Status.FAIL
    message = f"{count} previous passwords are remembered (required at least {min_password_history})."
    details: dict[str, JsonValue] = {"actual": count, "limit": min_password_history}
    return [Finding(status, resource="organization", message=message, details=details)]
