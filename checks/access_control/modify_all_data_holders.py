"""CRM-AC-002: Modify All Data is granted only through an admin profile."""

from crmsec.plugin import (
    IDENTITY_PROFILES,
    Dimension,
    Evidence,
    Finding,
    JsonValue,
    Severity,
    Status,
    admin_profiles,
    check,
    field_of,
)

USERS = "identity.users"
PERMISSION = "modify_all_data"


@check(
    id="CRM-AC-002",
    title="Modify All Data is held only through an admin profile",
    dimension=Dimension.ACCESS_CONTROL,
    severity=Severity.HIGH,
    requires=(USERS, IDENTITY_PROFILES),
    rationale=(
        "Modify All Data bypasses sharing, validation of ownership and most object security. Granted through a "
        "permission set or a non-admin profile it escapes the reviews that admin profiles get."
    ),
    remediation=(
        "Remove modify_all_data from permission sets and non-admin profiles; users who really administer the org "
        "belong on an admin profile, everyone else gets object-level permissions for what they need."
    ),
    references=(
        "https://help.salesforce.com/s/articleView?id=000321298&type=1",
        "https://csrc.nist.gov/pubs/sp/800/53/r5/upd1/final",
    ),
    frameworks={
        "iso27001_2022": ("A.8.2", "A.5.15", "A.5.18"),
        "soc2": ("CC6.1", "CC6.3"),
        "nist_csf_2": ("PR.AA-05",),
        "gbt22239_2019_l3": ("8.1.4.2",),
    },
)
def modify_all_data_holders(evidence: Evidence) -> list[Finding]:
    """One finding per active user holding modify_all_data: PASS via an admin profile, FAIL otherwise."""
    admin_names = admin_profiles(evidence)
    findings: list[Finding] = []
    for user in evidence.records(USERS):
        permissions = field_of(user, "permissions", list, key=USERS)
        if not field_of(user, "active", bool, key=USERS) or PERMISSION not in permissions:
            continue
        username = field_of(user, "username", str, key=USERS)
        profile = user.get("profile")
        details: dict[str, JsonValue] = {"profile": profile, "permission_sets": user.get("permission_sets") or []}
        if profile in admin_names:
            message = f"{username} holds Modify All Data through the admin profile {profile}."
            findings.append(Finding(Status.PASS, resource=username, message=message, details=details))
        else:
            message = f"{username} holds Modify All Data outside an admin profile (profile {profile})."
            findings.append(Finding(Status.FAIL, resource=username, message=message, details=details))
    if not findings:
        message = "No active user holds Modify All Data."
        findings.append(Finding(Status.PASS, resource="organization", message=message, details={"holders": 0}))
    return findings
