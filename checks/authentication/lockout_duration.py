"""CRM-AUTH-009: a locked account stays locked long enough."""

from crmsec.plugin import Dimension, Evidence, EvidenceError, Finding, JsonValue, Severity, Status, check

KEY = "auth.password_policy"


@check(
    id="CRM-AUTH-009",
    title="Locked accounts stay locked long enough",
    dimension=Dimension.AUTHENTICATION,
    severity=Severity.LOW,
    requires=(KEY,),
    params={"min_lockout_minutes": 15},
    rationale=(
        "A lockout that lifts after a minute or two only slows a guessing attack down; a longer lockout, or one "
        "that needs an administrator, stops it."
    ),
    remediation=(
        "Keep locked accounts locked for at least min_lockout_minutes minutes, or until an administrator "
        "unlocks them (Salesforce: Password Policies, Lockout effective period)."
    ),
    references=(
        "https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_securitysettings.htm",
        "https://pages.nist.gov/800-63-3/sp800-63b.html",
    ),
    frameworks={
        "iso27001_2022": ("A.8.5",),
        "soc2": ("CC6.1",),
        "nist_csf_2": ("PR.AA-03",),
        "gbt22239_2019_l3": ("8.1.4.1",),
    },
)
def lockout_duration(evidence: Evidence, *, min_lockout_minutes: int) -> list[Finding]:
    """FAIL below min_lockout_minutes; 0 minutes means "until an admin unlocks" and passes.

    NOT_APPLICABLE when accounts never lock at all (max_login_attempts 0): CRM-AUTH-008 fails that.
    """
    policy = evidence.mapping(KEY)
    if "lockout_minutes" not in policy:
        raise EvidenceError(f"{KEY} lacks lockout_minutes")
    minutes, attempts = policy["lockout_minutes"], policy.get("max_login_attempts")
    if attempts == 0:
        message = "Accounts never lock (no attempt limit), so there is no lockout period to judge; see CRM-AUTH-008."
        return [Finding(Status.NOT_APPLICABLE, resource="organization", message=message)]
    if minutes is None:
        message = "The platform does not expose the lockout period; check the password policy by hand."
        return [Finding(Status.MANUAL, resource="organization", message=message)]
    if not isinstance(minutes, int) or isinstance(minutes, bool) or minutes < 0:
        raise EvidenceError(f"{KEY}: lockout_minutes should be a non-negative integer")
    details: dict[str, JsonValue] = {"actual": minutes, "limit": min_lockout_minutes}
    if minutes == 0:
        message = "Locked accounts stay locked until an admin unlocks them."
        return [Finding(Status.PASS, resource="organization", message=message, details=details)]
    status = Status.PASS if minutes >= min_lockout_minutes else Status.FAIL
    message = f"Locked accounts unlock after {minutes} min (required at least {min_lockout_minutes})."
    return [Finding(status, resource="organization", message=message, details=details)]
