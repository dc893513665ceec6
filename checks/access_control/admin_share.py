"""CRM-AC-001: few users hold admin-level permissions."""

from crmsec.plugin import Dimension, Evidence, EvidenceError, Finding, JsonValue, Severity, Status, check, field_of

KEY = "identity.users"
INTERNAL_TYPES = ("standard", "integration")


@check(
    id="CRM-AC-001",
    title="Few users hold admin-level permissions",
    dimension=Dimension.ACCESS_CONTROL,
    severity=Severity.HIGH,
    requires=(KEY,),
    params={"max_admin_share": 0.10, "max_admins": 5},
    rationale=(
        "Every administrator can read and change all data and settings, so each extra admin widens the damage "
        "of one phished password or one careless click."
    ),
    remediation=(
        "Move users who do not administer the org to a least-privilege profile and remove admin permissions "
        "granted through permission sets, until at most max_admins users and at most max_admin_share of active "
        "internal users are admins."
    ),
    references=(
        "https://help.salesforce.com/s/articleView?id=000321298&type=1",
        "https://csrc.nist.gov/pubs/sp/800/53/r5/upd1/final",
    ),
    frameworks={
        "iso27001_2022": ("A.8.2", "A.5.15"),
        "soc2": ("CC6.1", "CC6.3"),
        "nist_csf_2": ("PR.AA-05",),
        "gbt22239_2019_l3": ("8.1.4.2",),
    },
)
def admin_share(evidence: Evidence, *, max_admin_share: float, max_admins: int) -> list[Finding]:
    """FAIL when the number or the share of active internal admins exceeds its limit (one org finding).

    Every org has at least one active internal user (the one who let this scan in) and one admin: a list
    without them was not read completely, so it raises (ERROR) instead of passing "0 of 0".
    """
    internal = [user for user in evidence.records(KEY) if _is_active_internal(user)]
    admins = sorted(field_of(user, "username", str, key=KEY) for user in internal if _is_admin(user))
    if not internal:
        raise EvidenceError(f"{KEY} lists no active internal user, but every org has one: the list is incomplete")
    if not admins:
        raise EvidenceError(
            f"{KEY}: none of the {len(internal)} active internal users is an admin, but every org has one: "
            "their permissions were not read"
        )
    share = len(admins) / len(internal)
    over = len(admins) > max_admins or share > max_admin_share
    message = (
        f"{len(admins)} of {len(internal)} active internal users are admins ({share:.0%}; "
        f"limits {max_admins} users and {max_admin_share:.0%})."
    )
    details: dict[str, JsonValue] = {
        "admins": len(admins),
        "active_internal_users": len(internal),
        "share": round(share, 4),
        "max_admins": max_admins,
        "max_admin_share": max_admin_share,
        "usernames": admins[:20],
    }
    return [Finding(Status.FAIL if over else Status.PASS, resource="organization", message=message, details=details)]


def _is_active_internal(user: dict[str, JsonValue]) -> bool:
    active = field_of(user, "active", bool, key=KEY)
    return bool(active) and user.get("user_type") in INTERNAL_TYPES


def _is_admin(user: dict[str, JsonValue]) -> bool:
    return bool(field_of(user, "is_admin", bool, key=KEY))
