"""CRM-AC-009: toxic permission combinations are rare (separation of duties)."""

from crmsec.plugin import Dimension, Evidence, EvidenceError, Finding, JsonValue, Severity, Status, check, field_of

KEY = "identity.users"
FULL_CONTROL = "full_control"
KEY_CUSTODY = "key_custody_with_data_access"
RULE_PERMISSIONS = {
    FULL_CONTROL: frozenset({"manage_users", "author_apex", "modify_all_data", "customize_application"}),
    KEY_CUSTODY: frozenset({"manage_encryption_keys", "view_all_data", "modify_all_data"}),
}
"""The permissions each rule reads: a rule is only judged when every one of them was read."""


@check(
    id="CRM-AC-009",
    title="Toxic permission combinations are rare (separation of duties)",
    dimension=Dimension.ACCESS_CONTROL,
    severity=Severity.HIGH,
    requires=(KEY,),
    params={"max_full_control_users": 3},
    rationale=(
        "One person who can create users, change configuration and deploy code can grant themselves anything and "
        "hide it; a key custodian who can also read all data defeats the point of holding keys apart."
    ),
    remediation=(
        "Split the duties: keep user administration (manage_users), code deployment (author_apex) and "
        "data/configuration control apart except for at most max_full_control_users break-glass admins, never give "
        "that combination to integration users, and keep manage_encryption_keys away from view_all_data and "
        "modify_all_data."
    ),
    references=(
        "https://csrc.nist.gov/pubs/sp/800/53/r5/upd1/final",
        "https://help.salesforce.com/s/articleView?id=000321298&type=1",
    ),
    frameworks={
        "iso27001_2022": ("A.5.3", "A.8.2"),
        "soc2": ("CC6.1", "CC6.3"),
        "nist_csf_2": ("PR.AA-05",),
        "gbt22239_2019_l3": ("8.1.4.2",),
    },
)
def separation_of_duties(evidence: Evidence, *, max_full_control_users: int) -> list[Finding]:
    """Judge every active user holding a toxic combination; one PASS when nobody does.

    The rules:
    - full_control: manage_users + author_apex + (modify_all_data or customize_application). Allowed for at
      most max_full_control_users human users (break-glass admins): beyond that every holder FAILs, since any of
      them could be the one to reduce. An integration user holding it always FAILs.
    - key_custody_with_data_access: manage_encryption_keys + (view_all_data or modify_all_data): always FAIL.

    "Nobody holds one" passes only when the permissions were visibly read: with no active user, or no
    active admin (every org has one), the check raises (ERROR) instead. A rule needing a permission the
    platform could not read (`unread_permissions`: the org has no column for it) is never passed: it gets
    a MANUAL finding naming the unread field.
    """
    holders: list[tuple[str, bool, list[str]]] = []
    active = [user for user in evidence.records(KEY) if field_of(user, "active", bool, key=KEY)]
    unread = _unread(active)
    unreadable = {
        rule: sorted(needs & unread.keys()) for rule, needs in RULE_PERMISSIONS.items() if needs & unread.keys()
    }
    for user in active:
        rules = [
            rule for rule in _conflicts(set(field_of(user, "permissions", list, key=KEY))) if rule not in unreadable
        ]
        if rules:
            integration = user.get("is_integration") is True or user.get("user_type") == "integration"
            holders.append((field_of(user, "username", str, key=KEY), integration, rules))
    manual = [_unverified(rule, {name: unread[name] for name in names}) for rule, names in unreadable.items()]
    if not holders:
        _require_admin(active)
        if len(unreadable) == len(RULE_PERMISSIONS):
            return manual
        checked = " or ".join(rule for rule in RULE_PERMISSIONS if rule not in unreadable)
        message = f"No active user holds a toxic permission combination ({checked})."
        return [Finding(Status.PASS, resource="organization", message=message, details={"holders": 0}), *manual]
    humans = sum(1 for _, integration, rules in holders if not integration and FULL_CONTROL in rules)
    return [
        *(
            _judge(name, rules, integration=integration, humans=humans, limit=max_full_control_users)
            for name, integration, rules in sorted(holders)
        ),
        *manual,
    ]


def _unread(users: list[dict[str, JsonValue]]) -> dict[str, str]:
    """Permission -> the field the platform had no column for (`unread_permissions` of the users)."""
    unread: dict[str, str] = {}
    for user in users:
        value = user.get("unread_permissions")
        if isinstance(value, dict):
            unread.update({str(name): str(source) for name, source in value.items()})
    return unread


def _unverified(rule: str, unread: dict[str, str]) -> Finding:
    fields = ", ".join(f"{name} ({source})" for name, source in sorted(unread.items()))
    message = f"Cannot tell who holds {rule}: the platform has no column for {fields}; review it by hand."
    return Finding(Status.MANUAL, resource=f"rule:{rule}", message=message, details={"unread": dict(unread)})


def _require_admin(active: list[dict[str, JsonValue]]) -> None:
    if not active:
        raise EvidenceError(f"{KEY} lists no active user, but every org has one: the list is incomplete")
    if not any(user.get("is_admin") is True for user in active):
        raise EvidenceError(
            f"{KEY}: none of the {len(active)} active users is an admin, but every org has one: "
            "their permissions were not read"
        )


def _conflicts(permissions: set[str]) -> list[str]:
    rules: list[str] = []
    if {"manage_users", "author_apex"} <= permissions and permissions & {"modify_all_data", "customize_application"}:
        rules.append(FULL_CONTROL)
    if "manage_encryption_keys" in permissions and permissions & {"view_all_data", "modify_all_data"}:
        rules.append(KEY_CUSTODY)
    return rules


def _judge(name: str, rules: list[str], *, integration: bool, humans: int, limit: int) -> Finding:
    details: dict[str, JsonValue] = {"rules": rules, "full_control_humans": humans, "limit": limit}
    if KEY_CUSTODY in rules:
        message = f"{name} manages encryption keys and can also read all data."
        return Finding(Status.FAIL, resource=name, message=message, details=details)
    if integration:
        message = f"Integration user {name} can manage users, deploy code and control data or configuration."
        return Finding(Status.FAIL, resource=name, message=message, details=details)
    status = Status.FAIL if humans > limit else Status.PASS
    message = f"{name} is one of {humans} users with full control (limit {limit})."
    return Finding(status, resource=name, message=message, details=details)
