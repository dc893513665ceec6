"""CRM-AC-003: View All Data is held only through an admin profile."""

from crmsec.plugin import (
    IDENTITY_PROFILES,
    Dimension,
    Evidence,
    EvidenceError,
    Finding,
    JsonValue,
    Severity,
    Status,
    admin_profiles,
    check,
    field_of,
)

USERS = "identity.users"
PERMISSION = "view_all_data"


@check(
    id="CRM-AC-003",
    title="View All Data is held only through an admin profile",
    dimension=Dimension.ACCESS_CONTROL,
    severity=Severity.MEDIUM,
    requires=(USERS, IDENTITY_PROFILES),
    rationale=(
        "View All Data reads every record, including all personal data, regardless of sharing. Outside admin "
        "profiles it is usually a convenience grant that nobody reviews."
    ),
    remediation=(
        "Remove view_all_data from permission sets and non-admin profiles; give reporting users object-level read "
        "access instead. Integration users that need it (backup, ETL) should be reviewed and documented."
    ),
    references=(
        "https://developer.salesforce.com/docs/platform/object-reference/references/standard-objects/object-objectpermissions.html",
        "https://csrc.nist.gov/pubs/sp/800/53/r5/upd1/final",
    ),
    frameworks={
        "iso27001_2022": ("A.8.2", "A.8.3", "A.5.15"),
        "soc2": ("CC6.1", "CC6.3", "C1.1"),
        "gdpr": ("Art. 25", "Art. 32"),
        "pipl": ("Art. 51",),
        "nist_csf_2": ("PR.AA-05",),
        "gbt22239_2019_l3": ("8.1.4.2",),
    },
)
def view_all_data_holders(evidence: Evidence) -> list[Finding]:
    """Per active holder: PASS via an admin profile, WARN for an integration user, FAIL for anyone else.

    "Nobody holds it" passes only when the permissions were visibly read: with no active user, or no
    active admin (every org has one), the check raises (ERROR) instead.
    """
    admin_names = admin_profiles(evidence)
    findings: list[Finding] = []
    active = [user for user in evidence.records(USERS) if field_of(user, "active", bool, key=USERS)]
    for user in active:
        if PERMISSION in field_of(user, "permissions", list, key=USERS):
            findings.append(_judge(user, admin_names))
    if not findings:
        _require_admin(active)
        message = "No active user holds View All Data."
        findings.append(Finding(Status.PASS, resource="organization", message=message, details={"holders": 0}))
    return findings


def _require_admin(active: list[dict[str, JsonValue]]) -> None:
    if not active:
        raise EvidenceError(f"{USERS} lists no active user, but every org has one: the list is incomplete")
    if not any(user.get("is_admin") is True for user in active):
        raise EvidenceError(
            f"{USERS}: none of the {len(active)} active users is an admin, but every org has one: "
            "their permissions were not read"
        )


def _judge(user: dict[str, JsonValue], admin_names: set[str]) -> Finding:
    username = field_of(user, "username", str, key=USERS)
    profile = user.get("profile")
    details: dict[str, JsonValue] = {"profile": profile, "permission_sets": user.get("permission_sets") or []}
    if profile in admin_names:
        message = f"{username} holds View All Data through the admin profile {profile}."
        return Finding(Status.PASS, resource=username, message=message, details=details)
    if user.get("is_integration") is True or user.get("user_type") == "integration":
        message = f"Integration user {username} holds View All Data (profile {profile}); confirm it is needed."
        return Finding(Status.WARN, resource=username, message=message, details=details)
    message = f"{username} holds View All Data outside an admin profile (profile {profile})."
    return Finding(Status.FAIL, resource=username, message=message, details=details)
