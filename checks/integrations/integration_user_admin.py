"""CRM-INT-008: integration users hold no admin rights."""

from crmsec.plugin import Dimension, Evidence, EvidenceError, Finding, JsonValue, Severity, Status, check, field_of

KEY = "identity.users"


@check(
    id="CRM-INT-008",
    title="Integration users hold no admin rights",
    dimension=Dimension.INTEGRATIONS,
    severity=Severity.HIGH,
    requires=(KEY,),
    rationale=(
        "An integration user's credentials live in another system and are used without a person present; with "
        "admin rights, a breach of that system becomes control over every record and setting of the CRM."
    ),
    remediation=(
        "Give each integration user a dedicated least-privilege profile (Salesforce: the Minimum Access - API "
        "Only Integrations profile plus a permission set with the objects it needs) and remove Modify All Data, "
        "Customize Application, Manage Users and Author Apex."
    ),
    references=(
        "https://help.salesforce.com/s/articleView?id=sf.integration_user.htm&type=5",
        "https://csrc.nist.gov/pubs/sp/800/53/r5/upd1/final",
    ),
    frameworks={
        "iso27001_2022": ("A.8.2", "A.5.15"),
        "soc2": ("CC6.3",),
        "nist_csf_2": ("PR.AA-05",),
        "gbt22239_2019_l3": ("8.1.4.2",),
    },
)
def integration_user_admin(evidence: Evidence) -> list[Finding]:
    """One finding per active integration user: FAIL when it is an admin."""
    findings = [_judge(user) for user in evidence.records(KEY) if _is_active_integration(user)]
    if not findings:
        message = "No active integration user was found."
        return [Finding(Status.NOT_APPLICABLE, resource="organization", message=message)]
    return findings


def _is_active_integration(user: dict[str, JsonValue]) -> bool:
    integration = user.get("is_integration") is True or user.get("user_type") == "integration"
    return integration and bool(field_of(user, "active", bool, key=KEY))


def _judge(user: dict[str, JsonValue]) -> Finding:
    username = field_of(user, "username", str, key=KEY)
    admin = user.get("is_admin")
    if not isinstance(admin, bool):
        raise EvidenceError(f"{KEY}: {username} has no boolean is_admin")
    permissions = user.get("permissions")
    details: dict[str, JsonValue] = {
        "profile": user.get("profile"),
        "is_admin": admin,
        "permissions": sorted(permissions)[:20] if isinstance(permissions, list) else None,
    }
    if admin:
        message = f"Integration user {username} holds admin rights (profile {user.get('profile')})."
        return Finding(Status.FAIL, resource=username, message=message, details=details)
    message = f"Integration user {username} holds no admin rights."
    return Finding(Status.PASS, resource=username, message=message, details=details)
