"""CRM-AC-005: every active user has a profile, and a role where the org uses roles."""

from crmsec.plugin import Dimension, Evidence, Finding, JsonValue, Severity, Status, check, field_of

KEY = "identity.users"


@check(
    id="CRM-AC-005",
    title="Active users have a profile and, where roles are used, a role",
    dimension=Dimension.ACCESS_CONTROL,
    severity=Severity.LOW,
    requires=(KEY,),
    rationale=(
        "Access reviews start from profiles and roles. A user without a profile has access nobody can explain, and "
        "a user without a role in an org that uses roles falls outside the record-sharing design."
    ),
    remediation=(
        "Assign every active user a profile that matches the job, and a role in the role hierarchy when the org "
        "uses roles for record sharing."
    ),
    references=("https://csrc.nist.gov/pubs/sp/800/53/r5/upd1/final",),
    frameworks={
        "iso27001_2022": ("A.5.15", "A.5.18"),
        "soc2": ("CC6.1", "CC6.2"),
        "nist_csf_2": ("PR.AA-05",),
        "gbt22239_2019_l3": ("8.1.4.2",),
    },
)
def user_profile_and_role(evidence: Evidence) -> list[Finding]:
    """Per active standard user: FAIL without a profile, WARN without a role when other users have roles.

    Roles count as "in use" when at least one active user has one; guest and integration users are judged on
    the profile only, since they normally sit outside the role hierarchy.
    """
    active = [user for user in evidence.records(KEY) if field_of(user, "active", bool, key=KEY)]
    roles_used = any(_text(user.get("role")) for user in active)
    findings = [_judge(user, roles_used=roles_used) for user in active]
    if not findings:
        return [Finding(Status.NOT_APPLICABLE, resource="organization", message="No active users to judge.")]
    return findings


def _judge(user: dict[str, JsonValue], *, roles_used: bool) -> Finding:
    username = field_of(user, "username", str, key=KEY)
    profile, role = _text(user.get("profile")), _text(user.get("role"))
    details: dict[str, JsonValue] = {"profile": profile or None, "role": role or None, "roles_in_use": roles_used}
    if not profile:
        message = f"{username} is active without a profile."
        return Finding(Status.FAIL, resource=username, message=message, details=details)
    if roles_used and not role and user.get("user_type") == "standard":
        message = f"{username} (profile {profile}) has no role although the org uses roles."
        return Finding(Status.WARN, resource=username, message=message, details=details)
    message = f"{username} has profile {profile}" + (f" and role {role}." if role else ".")
    return Finding(Status.PASS, resource=username, message=message, details=details)


def _text(value: JsonValue) -> str:
    return value.strip() if isinstance(value, str) else ""
