"""CRM-AC-008: API access is granted narrowly."""

from crmsec.plugin import Dimension, Evidence, Finding, JsonValue, Severity, Status, check, field_of

PROFILES = "identity.profiles"
PERMISSION_SETS = "identity.permission_sets"
PERMISSION = "api_enabled"
STANDARD_PROFILES = frozenset({"standard user", "standard platform user"})


@check(
    id="CRM-AC-008",
    title="API access is granted narrowly",
    dimension=Dimension.ACCESS_CONTROL,
    severity=Severity.MEDIUM,
    requires=(PROFILES,),
    optional=(PERMISSION_SETS,),
    params={"max_api_assignees": 10},
    rationale=(
        "API access lets a user export whatever they can see at machine speed, with scripts and tools that bypass "
        "the user interface's friction; most business users never need it."
    ),
    remediation=(
        "Remove api_enabled from the standard user profile and from broad profiles and permission sets; grant it "
        "through a dedicated permission set to integration users and the few people who need it "
        "(at most max_api_assignees per grant)."
    ),
    references=(
        "https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_permissionset.htm",
        "https://csrc.nist.gov/pubs/sp/800/53/r5/upd1/final",
    ),
    frameworks={
        "iso27001_2022": ("A.8.2", "A.5.15"),
        "soc2": ("CC6.1", "CC6.3"),
        "nist_csf_2": ("PR.AA-05",),
        "gbt22239_2019_l3": ("8.1.4.2",),
    },
)
def api_access_breadth(evidence: Evidence, *, max_api_assignees: int) -> list[Finding]:
    """Per non-admin profile or permission set granting api_enabled: FAIL above max_api_assignees users.

    A standard end-user profile ("Standard User") granting API access fails whatever its size. Admin and
    integration profiles are expected to hold API access and are not judged here; permission sets that only
    mirror a profile (owned_by_profile) are skipped, since the profile itself is judged.
    """
    profiles = [profile for profile in evidence.records(PROFILES) if _grants(profile)]
    findings = [_judge_profile(profile, max_api_assignees) for profile in profiles]
    if evidence.has(PERMISSION_SETS):
        for permission_set in evidence.records(PERMISSION_SETS):
            if _grants(permission_set) and permission_set.get("owned_by_profile") is not True:
                findings.append(_judge_set(permission_set, max_api_assignees))
    judged = [finding for finding in findings if finding is not None]
    if judged:
        return judged
    message = "No non-admin profile or permission set grants API access."
    return [Finding(Status.PASS, resource="organization", message=message, details={"grants": 0})]


def _grants(record: dict[str, JsonValue]) -> bool:
    permissions = record.get("permissions")
    return isinstance(permissions, list) and PERMISSION in permissions


def _judge_profile(profile: dict[str, JsonValue], limit: int) -> Finding | None:
    if field_of(profile, "is_admin", bool, key=PROFILES) or profile.get("user_type") == "integration":
        return None
    name = field_of(profile, "name", str, key=PROFILES)
    count = field_of(profile, "user_count", int, key=PROFILES)
    details: dict[str, JsonValue] = {"kind": "profile", "assignees": count, "limit": limit}
    resource = f"profile:{name}"
    if name.lower() in STANDARD_PROFILES:
        message = f"The standard end-user profile {name} grants API access to {count} users."
        return Finding(Status.FAIL, resource=resource, message=message, details=details)
    status = Status.FAIL if count > limit else Status.PASS
    message = f"Profile {name} grants API access to {count} users (limit {limit})."
    return Finding(status, resource=resource, message=message, details=details)


def _judge_set(permission_set: dict[str, JsonValue], limit: int) -> Finding:
    name = field_of(permission_set, "name", str, key=PERMISSION_SETS)
    count = field_of(permission_set, "assignee_count", int, key=PERMISSION_SETS)
    status = Status.FAIL if count > limit else Status.PASS
    message = f"Permission set {name} grants API access to {count} users (limit {limit})."
    details: dict[str, JsonValue] = {"kind": "permission_set", "assignees": count, "limit": limit}
    return Finding(status, resource=f"permission_set:{name}", message=message, details=details)
