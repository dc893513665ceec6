"""Users, groups, model access rights and record rules, read over JSON-RPC and normalised into evidence.

How Tryton grants access (`trytond/ir/model.py` ModelAccess.get_access, `trytond/ir/rule.py`):

- a user with `administrator` set has the rights of every group and bypasses every access check;
- otherwise the rights on a model are the OR of its active `ir.model.access` rows whose group is one of the
  user's groups or empty (an empty group means everyone); a model with **no row at all is open to
  everyone** (read, write, create, delete);
- `ir.rule.group` rows narrow the records: a global rule applies to everyone, a group rule to its groups,
  a default rule to users without a group rule. We call an (object, mode) *restricted* for a profile when
  any such rule applies, so `view_all` / `modify_all` mean "read / write every record of the object".

Profiles here are Tryton's groups, plus two pseudo-profiles: `Administrator` (the users with the flag) and
`Everyone` (what a user with no group gets). Only groups with at least one active member are listed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from crmsec.connectors.tryton.rpc import TrytonRpc, flag, timestamp_of
from crmsec.redaction import mask
from crmsec.vocabulary import JsonValue

ADMINISTRATOR = "Administrator"
EVERYONE = "Everyone"
ADMIN_PERMISSIONS = ("customize_application", "manage_users", "modify_all_data", "view_all_data")
MODES = ("read", "write", "create", "delete")
CRM_OBJECTS = (
    "party.party",
    "party.address",
    "party.contact_mechanism",
    "party.identifier",
    "sale.opportunity",
    "sale.sale",
)
"""The business objects whose access we judge (customers, their contact data, the pipeline)."""
SECURITY_MODELS = {
    "manage_users": ("res.user", "res.group"),
    "customize_application": ("ir.model.access", "ir.rule.group", "ir.rule", "ir.model.field.access"),
}
"""Writing one of these models lets a user hand out rights: it counts as the named admin permission."""
ACCESS_PARENTS: dict[str, tuple[str, ...]] = {
    "party.address": ("party.party",),
    "party.contact_mechanism": ("party.party",),
    "party.identifier": ("party.party",),
    "ir.model.access": ("ir.model",),
    "ir.model.field": ("ir.model",),
    "ir.model.field.access": ("ir.model.field",),
    "ir.rule": ("ir.rule.group",),
}
"""`__access__` of the judged models in trytond 8.2 (party/address.py, contact_mechanism.py, party.py;
ir/model.py, ir/rule.py): a model without access rows of its own takes them from these."""
USER_FIELDS = ("login", "name", "active", "administrator", "groups", "create_date", "sessions")
GROUP_FIELDS = ("name", "users")
ACCESS_FIELDS = ("model", "group", "perm_read", "perm_write", "perm_create", "perm_delete")
RULE_FIELDS = ("name", "model", "global_p", "default_p", "groups", "perm_read", "perm_write", "perm_create",
               "perm_delete")  # fmt: skip
SMS_MODULE = "authentication_sms"
ROOT_USER_ID = 0
"""`root`, Tryton's internal user: it cannot sign in, so it is left out."""


@dataclass(frozen=True, slots=True)
class Directory:
    """What the directory reads gave: users, groups, access rows and record rule groups (raw rows)."""

    users: list[dict[str, Any]]
    groups: list[dict[str, Any]]
    access: list[dict[str, Any]]
    rules: list[dict[str, Any]]
    modules: tuple[str, ...] = ()
    sms_registered: frozenset[int] | None = None
    """Ids of users with a mobile number for the SMS factor; None when authentication_sms is not activated."""

    @property
    def group_names(self) -> dict[int, str]:
        """Group id -> name."""
        return {int(group["id"]): str(group.get("name") or group["id"]) for group in self.groups}


async def read_directory(rpc: TrytonRpc) -> Directory:
    """Read users (inactive ones too), groups, access rows, record rules and activated modules; failures raise.

    With the authentication_sms module, whether each user has a mobile number (the SMS factor's registration)
    is read too; the number itself is never kept.
    """
    users = await rpc.search_read("res.user", USER_FIELDS, context={"active_test": False})
    groups = await rpc.search_read("res.group", GROUP_FIELDS)
    access = await rpc.search_read("ir.model.access", ACCESS_FIELDS)
    rules = await rpc.search_read("ir.rule.group", RULE_FIELDS)
    modules = await rpc.search_read("ir.module", ("name",), domain=[["state", "=", "activated"]])
    names = tuple(sorted(str(module.get("name")) for module in modules))
    registered: frozenset[int] | None = None
    if SMS_MODULE in names:
        mobiles = await rpc.search_read("res.user", ("mobile",), context={"active_test": False})
        registered = frozenset(
            int(row["id"]) for row in mobiles if isinstance(row.get("mobile"), str) and row["mobile"]
        )
    return Directory(users=[user for user in users if user.get("id") != ROOT_USER_ID], groups=groups,
                     access=access, rules=rules, modules=names, sms_registered=registered)  # fmt: skip


def access_chain(model: str) -> tuple[str, ...]:
    """`model` and the models it takes its access from (`__access__`, followed transitively)."""
    chain = [model]
    for current in chain:
        chain.extend(parent for parent in ACCESS_PARENTS.get(current, ()) if parent not in chain)
    return tuple(chain)


def rights(directory: Directory, groups: Iterable[int], model: str) -> dict[str, bool]:
    """The rights on `model` of a member of `groups` (empty: a user without a group), before record rules.

    As trytond computes them: the rows of the model and of its `__access__` parents whose group is one of
    `groups` or empty are OR-ed; when no such row exists at all, every right is granted.
    """
    wanted = {*groups, None}
    chain = access_chain(model)
    rows = [row for row in directory.access if row.get("model") in chain and row.get("group") in wanted]
    if not rows:
        return dict.fromkeys(MODES, True)
    return {mode: any(flag(row.get(f"perm_{mode}")) is True for row in rows) for mode in MODES}


def restricted(directory: Directory, groups: Iterable[int], model: str, mode: str) -> bool:
    """True when a record rule (of the model or an `__access__` parent) narrows `mode` for a member of `groups`."""
    members = set(groups)
    chain = access_chain(model)
    for rule in directory.rules:
        if rule.get("model") not in chain or flag(rule.get(f"perm_{mode}")) is not True:
            continue
        rule_groups = {int(group) for group in rule.get("groups") or [] if isinstance(group, int)}
        if flag(rule.get("global_p")) or flag(rule.get("default_p")) or members & rule_groups:
            return True
    return False


def permissions_of(directory: Directory, groups: Iterable[int], *, administrator: bool) -> list[str]:
    """Normalised permission names held through `groups` (or all of them for an administrator)."""
    if administrator:
        return list(ADMIN_PERMISSIONS)
    members = list(groups)
    held: set[str] = set()
    for permission, models in SECURITY_MODELS.items():
        if any(rights(directory, members, model)["write"] for model in models):
            held.add(permission)
    grants = [_object_grant(directory, members, model) for model in CRM_OBJECTS]
    if all(grant["view_all"] for grant in grants):
        held.add("view_all_data")
    if all(grant["modify_all"] for grant in grants):
        held.add("modify_all_data")
    return sorted(held)


def _object_grant(directory: Directory, groups: list[int], model: str) -> dict[str, bool]:
    granted = rights(directory, groups, model)
    return {
        **granted,
        "view_all": granted["read"] and not restricted(directory, groups, model, "read"),
        "modify_all": granted["write"] and not restricted(directory, groups, model, "write"),
    }


def _member_groups(user: Mapping[str, Any]) -> list[int]:
    return sorted(int(group) for group in user.get("groups") or [] if isinstance(group, int))


def is_admin(directory: Directory, user: Mapping[str, Any]) -> bool:
    if flag(user.get("administrator")):
        return True
    held = permissions_of(directory, _member_groups(user), administrator=False)
    return "manage_users" in held or "customize_application" in held


def identity_users(directory: Directory) -> list[JsonValue]:
    """`identity.users`, sorted by login."""
    names = directory.group_names
    users: list[dict[str, JsonValue]] = []
    for user in directory.users:
        groups = _member_groups(user)
        administrator = bool(flag(user.get("administrator")))
        group_names = sorted(names.get(group, str(group)) for group in groups)
        name = user.get("name")
        sessions = user.get("sessions")
        users.append({
            "id": str(user["id"]),
            "username": str(user.get("login") or ""),
            "name": mask(name) if isinstance(name, str) and name else None,
            "active": flag(user.get("active")) is True,
            "user_type": "standard",
            "created_at": timestamp_of(user.get("create_date")),
            "last_login_at": None,
            "profile": _profile_name(group_names, administrator=administrator),
            "role": None,
            "permission_sets": group_names,
            "permissions": [*permissions_of(directory, groups, administrator=administrator)],
            "is_admin": is_admin(directory, user),
            "mfa_registered": None if directory.sms_registered is None else int(user["id"]) in directory.sms_registered,
            "mfa_required": None,
            "sso": None,
            "is_integration": False,
            "active_sessions": sessions if isinstance(sessions, int) and not isinstance(sessions, bool) else None,
        })  # fmt: skip
    return [*sorted(users, key=lambda user: (str(user["username"]), str(user["id"])))]


def _profile_name(group_names: list[str], *, administrator: bool) -> str:
    if administrator:
        return ADMINISTRATOR
    return " + ".join(group_names) if group_names else EVERYONE


def _active_members(directory: Directory) -> dict[int, int]:
    counts: dict[int, int] = {}
    for user in directory.users:
        if flag(user.get("active")) is True and not flag(user.get("administrator")):
            for group in _member_groups(user):
                counts[group] = counts.get(group, 0) + 1
    return counts


def identity_profiles(directory: Directory) -> list[JsonValue]:
    """`identity.profiles`: Administrator, Everyone and every group with an active (non-administrator) member."""
    active = [user for user in directory.users if flag(user.get("active")) is True]
    administrators = sum(1 for user in active if flag(user.get("administrator")))
    profiles: list[JsonValue] = [
        _profile(ADMINISTRATOR, list(ADMIN_PERMISSIONS), administrators, is_admin=True),
        _profile(EVERYONE, permissions_of(directory, [], administrator=False), len(active) - administrators),
    ]
    for group, members in sorted(_active_members(directory).items()):
        held = permissions_of(directory, [group], administrator=False)
        admin = "manage_users" in held or "customize_application" in held
        profiles.append(_profile(directory.group_names.get(group, str(group)), held, members, is_admin=admin))
    return profiles


def _profile(name: str, permissions: list[str], users: int, *, is_admin: bool = False) -> dict[str, JsonValue]:
    return {"name": name, "user_type": "standard", "permissions": [*permissions], "user_count": users,
            "is_admin": is_admin, "login_ip_ranges": None, "session_timeout_minutes": None}  # fmt: skip


def object_permissions(directory: Directory) -> list[JsonValue]:
    """`access.object_permissions`: per listed profile and CRM object with any right, the rights and breadth."""
    entries: list[JsonValue] = []
    profiles: list[tuple[str, list[int]]] = [(EVERYONE, [])]
    profiles += [
        (directory.group_names.get(group, str(group)), [group]) for group in sorted(_active_members(directory))
    ]
    for name, groups in profiles:
        for model in CRM_OBJECTS:
            grant = _object_grant(directory, groups, model)
            if not any(grant[mode] for mode in MODES):
                continue
            entries.append({"profile": name, "user_type": "standard", "object": model, "read": grant["read"],
                            "create": grant["create"], "edit": grant["write"], "delete": grant["delete"],
                            "view_all": grant["view_all"], "modify_all": grant["modify_all"]})  # fmt: skip
    return entries


def org_defaults(directory: Directory) -> dict[str, JsonValue]:
    """`access.org_defaults`: what every user may do with each CRM object (the everyone rows, or no rows)."""
    defaults: dict[str, JsonValue] = {}
    for model in CRM_OBJECTS:
        grant = _object_grant(directory, [], model)
        if grant["write"] and grant["create"] and grant["delete"] and grant["modify_all"]:
            defaults[model] = "public_full"
        elif grant["write"] and grant["modify_all"]:
            defaults[model] = "read_write"
        elif grant["read"] and grant["view_all"]:
            defaults[model] = "read"
        else:
            defaults[model] = "private"
    return defaults


def access_summary(directory: Directory) -> dict[str, JsonValue]:
    """`raw.tryton.access`: counts that show how broad the access rows and rules are (for people, not checks)."""
    everyone_rows = [row for row in directory.access if row.get("group") is None]
    open_models = [
        model for model in CRM_OBJECTS if not any(row.get("model") in access_chain(model) for row in directory.access)
    ]
    return {
        "access_rows": len(directory.access),
        "everyone_rows": len(everyone_rows),
        "everyone_write_rows": sum(1 for row in everyone_rows if flag(row.get("perm_write"))),
        "crm_objects_without_access_rows": open_models,
        "rule_groups": len(directory.rules),
        "crm_rule_groups": sorted(
            {f"{rule.get('model')}: {rule.get('name')}" for rule in directory.rules if rule.get("model") in CRM_OBJECTS}
        ),
        "groups": len(directory.groups),
        "activated_modules": [*directory.modules],
    }
