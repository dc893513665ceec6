"""CRM-AUTH-008: accounts lock after a few failed logins."""

from crmsec.plugin import Dimension, Evidence, EvidenceError, Finding, JsonValue, Severity, Status, check

KEY = "auth.password_policy"


@check(
    id="CRM-AUTH-008",
    title="Accounts lock after a few failed logins",
    dimension=Dimension.AUTHENTICATION,
    severity=Severity.MEDIUM,
    requires=(KEY,),
    params={"max_login_attempts": 5},
    rationale="Without a lockout an attacker can guess passwords online for as long as they like.",
    remediation=(
        "Lock accounts after at most max_login_attempts invalid attempts (Salesforce: Password Policies, Maximum "
        "invalid login attempts); 'no limit' is never acceptable."
    ),
    references=(
        "https://pages.nist.gov/800-63-3/sp800-63b.html",
        "https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_securitysettings.htm",
    ),
    frameworks={
        "iso27001_2022": ("A.8.5",),
        "soc2": ("CC6.1",),
        "nist_csf_2": ("PR.AA-03",),
        "gbt22239_2019_l3": ("8.1.4.1",),
    },
)
def login_attempt_lockout(evidence: Evidence, *, max_login_attempts: int) -> list[Finding]:
    """FAIL when the lockout threshold is above max_login_attempts or 0 (no lockout); MANUAL when hidden."""
    policy = evidence.mapping(KEY)
    if "max_login_attempts" not in policy:
        raise EvidenceError(f"{KEY} lacks max_login_attempts")
    attempts = policy["max_login_attempts"]
    if attempts is None:
        message = "The platform does not expose the login lockout threshold; check the password policy by hand."
        return [Finding(Status.MANUAL, resource="organization", message=message)]
    if not isinstance(attempts, int) or isinstance(attempts, bool) or attempts < 0:
        raise EvidenceError(f"{KEY}: max_login_attempts should be a non-negative integer")
    details: dict[str, JsonValue] = {"actual": attempts, "limit": max_login_attempts}
    if attempts == 0:
        return [Finding(Status.FAIL, "organization", "Failed logins never lock the account (no limit).", details)]
    status = Status.PASS if attempts <= max_login_attempts else Status.FAIL
    message = f"Accounts lock after {attempts} failed logins (limit {max_login_attempts})."
    return [Finding(status, resource="organization", message=message, details=details)]
