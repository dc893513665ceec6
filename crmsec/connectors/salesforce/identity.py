"""Identity evidence from Salesforce records: users, profiles, permission sets, object permissions.

Pure functions over query records (no I/O). Permissions are normalized to crmsec's names; a user's
permissions are the union of their profile's and their assigned permission sets'.
"""

from __future__ import annotations

import sys
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from crmsec.connectors.salesforce.values import iso, nested
from crmsec.errors import ConnectorError, Reason
from crmsec.redaction import mask

PERMISSIONS = {
    "PermissionsModifyAllData": "modify_all_data",
    "PermissionsViewAllData": "view_all_data",
    "PermissionsManageUsers": "manage_users",
    "PermissionsAuthorApex": "author_apex",
    "PermissionsApiEnabled": "api_enabled",
    "PermissionsCustomizeApplication": "customize_application",
    "PermissionsViewSetup": "view_setup",
    "PermissionsManageEncryptionKeys": "manage_encryption_keys",
    "PermissionsExportReport": "export_data",
}
EXTRA_FLAGS = ("PermissionsApiUserOnly", "PermissionsForceTwoFactor")
PERMISSION_SET_FIELDS = ("Id", "Name", "Label", "IsOwnedByProfile", "ProfileId")
OPTIONAL_PERMISSIONS = frozenset({"PermissionsManageEncryptionKeys", "PermissionsExportReport", "PermissionsViewSetup"})
"""Permission columns an org may lack (they come with features and licences): when the PermissionSet describe
does not list one, the query leaves it out and the evidence names it as unread. Every other column is in every
org with the API; without one of them (or a PERMISSION_SET_FIELDS field) the permission sets cannot be read."""
ADMIN_PERMISSIONS = frozenset({"modify_all_data", "customize_application", "manage_users", "author_apex"})
USER_TYPES = {"Standard": "standard", "Guest": "guest"}
USER_FIELDS = (
    "Id",
    "Username",
    "Name",
    "IsActive",
    "UserType",
    "ProfileId",
    "Profile.Name",
    "UserRole.Name",
    "LastLoginDate",
    "CreatedDate",
    "FederationIdentifier",
)
ACCESS_LEVELS = {
    "None": "private",
    "Private": "private",
    "Read": "read",
    "Edit": "read_write",
    "ReadEditTransfer": "read_write",
    "ReadWrite": "read_write",
    "All": "public_full",
    "ReadWriteTransfer": "read_write",
    "FullAccess": "public_full",
}


def permission_set_query(columns: PermissionColumns | None = None) -> str:
    """SOQL for every permission set (profile-owned ones carry the profile's permissions); with `columns`,
    only the permission columns the org has."""
    unread = set(columns.unread.values()) if columns else set()
    permissions = [name for name in (*PERMISSIONS, *EXTRA_FLAGS) if f"PermissionSet.{name}" not in unread]
    fields = ", ".join((*PERMISSION_SET_FIELDS, "Profile.Name", *permissions))
    return f"SELECT {fields} FROM PermissionSet"  # noqa: S608 -- constant field names


@dataclass(frozen=True, slots=True)
class PermissionColumns:
    """Which permission columns this org's PermissionSet has: `unread` maps each crmsec permission the org has
    no column for to that column (`PermissionSet.PermissionsManageEncryptionKeys`); nobody can be shown to
    hold or lack it, so checks that need it cannot pass."""

    unread: dict[str, str]


def permission_columns(describe: Any) -> PermissionColumns:
    """The PermissionSet describe's verdict on our columns; a required one missing raises (naming it)."""
    endpoint = "GET /services/data/sobjects/PermissionSet/describe"
    fields = describe.get("fields") if isinstance(describe, dict) else None
    if not isinstance(fields, list):
        raise ConnectorError(
            f"{endpoint}: the describe lists no fields", endpoint=endpoint, reason=Reason.MALFORMED_RESPONSE
        )
    present = {str(entry.get("name")) for entry in fields if isinstance(entry, dict)}
    wanted: Collection[str] = (*PERMISSION_SET_FIELDS, *PERMISSIONS, *EXTRA_FLAGS)
    required = sorted(name for name in wanted if name not in present and name not in OPTIONAL_PERMISSIONS)
    if required:
        raise ConnectorError(
            f"{endpoint}: this org's PermissionSet has no field {', '.join(required)}, so permissions cannot be read",
            endpoint=endpoint,
            reason=Reason.MALFORMED_RESPONSE,
        )
    unread = {
        permission: f"PermissionSet.{column}"
        for column, permission in PERMISSIONS.items()
        if column in OPTIONAL_PERMISSIONS and column not in present
    }
    return PermissionColumns(unread=dict(sorted(unread.items())))


def user_query() -> str:
    """SOQL for every user."""
    return f"SELECT {', '.join(USER_FIELDS)} FROM User ORDER BY Id"  # noqa: S608 -- constant field names


@dataclass(slots=True)
class PermissionModel:
    """Permission sets by id, with their normalized permissions and flags."""

    sets: dict[str, dict[str, Any]] = field(default_factory=dict)
    profile_set: dict[str, str] = field(default_factory=dict)
    assignments: dict[str, list[str]] = field(default_factory=dict)
    unread: dict[str, str] = field(default_factory=dict)
    """Permissions the org has no column for (see PermissionColumns): every entry's `unread_permissions`."""
    _grants: dict[tuple[str, tuple[str, ...]], Grants] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        permission_sets: Iterable[Mapping[str, Any]],
        assignments: Iterable[Mapping[str, Any]],
        *,
        unread: Mapping[str, str] | None = None,
    ) -> PermissionModel:
        """Index permission sets and the (non-profile) assignments (`unread`: see PermissionColumns)."""
        model = cls(unread=dict(unread or {}))
        for record in permission_sets:
            permissions = sorted(name for field_name, name in PERMISSIONS.items() if record.get(field_name) is True)
            entry = {
                "id": record.get("Id"),
                "name": record.get("Name"),
                "label": record.get("Label"),
                "permissions": permissions,
                "owned_by_profile": bool(record.get("IsOwnedByProfile")),
                "profile": nested(record, "Profile.Name"),
                "api_only": record.get("PermissionsApiUserOnly") is True,
                "force_mfa": record.get("PermissionsForceTwoFactor") is True,
            }
            model.sets[str(record.get("Id"))] = entry
            if entry["owned_by_profile"] and record.get("ProfileId"):
                model.profile_set[str(record["ProfileId"])] = str(record.get("Id"))
        for assignment in assignments:
            model.assignments.setdefault(str(assignment.get("AssigneeId")), []).append(
                str(assignment.get("PermissionSetId"))
            )
        return model

    def for_user(self, user_id: str, profile_id: str | None) -> list[dict[str, Any]]:
        """The permission sets that apply to a user (the profile's first)."""
        owned = self.sets.get(self.profile_set.get(profile_id or "", ""))
        extra = [self.sets[set_id] for set_id in self.assignments.get(user_id, []) if set_id in self.sets]
        return ([owned] if owned else []) + extra

    def grants(self, user_id: str, profile_id: str | None) -> Grants:
        """What a user's permission sets add up to; users with the same sets share one (immutable) value."""
        key = (profile_id or "", tuple(self.assignments.get(user_id, ())))
        cached = self._grants.get(key)
        if cached is None:
            sets = self.for_user(user_id, profile_id)
            permissions = sorted({permission for entry in sets for permission in entry["permissions"]})
            cached = Grants(
                permissions=permissions,
                permission_sets=sorted(entry["name"] for entry in sets if not entry["owned_by_profile"]),
                api_only=any(entry["api_only"] for entry in sets),
                force_mfa=any(entry["force_mfa"] for entry in sets),
            )
            self._grants[key] = cached
        return cached


@dataclass(frozen=True, slots=True)
class Grants:
    """The permissions and standalone permission sets one user holds (lists shared between users: read only)."""

    permissions: list[str]
    permission_sets: list[str]
    api_only: bool
    force_mfa: bool


_SHARED_FIELDS = frozenset({"UserType", "ProfileId", "Profile.Name", "UserRole.Name"})


def compact_user(record: Mapping[str, Any]) -> tuple[Any, ...]:
    """A user record reduced to the fields we keep, as a tuple (50,000 users stay small in memory).

    Profile, role and type names repeat across users and are interned, so they are stored once.
    """
    return tuple(
        sys.intern(value) if name in _SHARED_FIELDS and isinstance(value := nested(record, name), str)
        else nested(record, name)
        for name in USER_FIELDS
    )  # fmt: skip


def normalize_user(
    compact: tuple[Any, ...], model: PermissionModel, *, mfa_registered: set[str] | None, org_mfa_required: bool | None
) -> dict[str, Any]:
    """One `identity.users` entry."""
    row = dict(zip(USER_FIELDS, compact, strict=True))
    user_id = str(row["Id"])
    grants = model.grants(user_id, row["ProfileId"])
    permissions, api_only, force_mfa = grants.permissions, grants.api_only, grants.force_mfa
    raw_type = str(row["UserType"] or "")
    user_type = "integration" if api_only else USER_TYPES.get(raw_type, "portal" if raw_type else "standard")
    required = True if org_mfa_required or force_mfa else (None if org_mfa_required is None else False)
    return {
        "id": user_id,
        "username": row["Username"],
        "name": mask(str(row["Name"] or "")) or None,
        "active": bool(row["IsActive"]),
        "user_type": user_type,
        "created_at": iso(row["CreatedDate"]),
        "last_login_at": iso(row["LastLoginDate"]),
        "profile": row["Profile.Name"],
        "role": row["UserRole.Name"],
        "permission_sets": grants.permission_sets,
        "permissions": permissions,
        "unread_permissions": model.unread,
        "is_admin": bool(ADMIN_PERMISSIONS.intersection(permissions)),
        "mfa_registered": None if mfa_registered is None else user_id in mfa_registered,
        "mfa_required": required,
        "sso": bool(row["FederationIdentifier"]),
        "is_integration": api_only,
    }


def registered_mfa(record: Mapping[str, Any]) -> bool:
    """True when a TwoFactorMethodsInfo row shows at least one strong verification method."""
    methods = ("HasSalesforceAuthenticator", "HasTotp", "HasU2F", "HasSecurityKey", "HasBuiltInAuthenticator")
    return any(record.get(name) is True for name in methods)


def profiles(
    records: Iterable[Mapping[str, Any]],
    model: PermissionModel,
    user_counts: Mapping[str, int],
    *,
    ip_ranges: Mapping[str, list[dict[str, str]]] | None,
    session_timeout: int | None,
) -> list[dict[str, Any]]:
    """`identity.profiles` (login IP ranges only for the profiles whose metadata was read)."""
    result = []
    for record in records:
        profile_id = str(record.get("Id"))
        owned = model.sets.get(model.profile_set.get(profile_id, ""), {})
        permissions = owned.get("permissions", [])
        name = str(record.get("Name"))
        result.append(
            {
                "name": name,
                "user_type": "integration"
                if owned.get("api_only")
                else USER_TYPES.get(str(record.get("UserType")), "portal"),
                "permissions": permissions,
                "unread_permissions": model.unread,
                "user_count": user_counts.get(profile_id, 0),
                "is_admin": bool(ADMIN_PERMISSIONS.intersection(permissions)),
                "login_ip_ranges": None if ip_ranges is None or name not in ip_ranges else ip_ranges[name],
                "session_timeout_minutes": session_timeout,
            }
        )
    return sorted(result, key=lambda entry: entry["name"])


def permission_sets(model: PermissionModel) -> list[dict[str, Any]]:
    """`identity.permission_sets` (standalone sets; profile-owned ones are reported as profiles)."""
    counts: dict[str, int] = {}
    for set_ids in model.assignments.values():
        for set_id in set_ids:
            counts[set_id] = counts.get(set_id, 0) + 1
    return sorted(
        (
            {
                "name": entry["name"],
                "label": entry["label"],
                "permissions": entry["permissions"],
                "unread_permissions": model.unread,
                "assignee_count": counts.get(set_id, 0),
                "owned_by_profile": False,
            }
            for set_id, entry in model.sets.items()
            if not entry["owned_by_profile"]
        ),
        key=lambda entry: str(entry["name"]),
    )


def object_permissions(
    records: Iterable[Mapping[str, Any]], model: PermissionModel, profile_types: Mapping[str, str]
) -> list[dict[str, Any]]:
    """`access.object_permissions`, one row per (profile or permission set, object)."""
    rows = []
    for record in records:
        entry = model.sets.get(str(record.get("ParentId")), {})
        holder = entry.get("profile") if entry.get("owned_by_profile") else entry.get("name")
        rows.append(
            {
                "profile": holder,
                "user_type": profile_types.get(str(holder), "standard"),
                "object": record.get("SobjectType"),
                "read": record.get("PermissionsRead") is True,
                "create": record.get("PermissionsCreate") is True,
                "edit": record.get("PermissionsEdit") is True,
                "delete": record.get("PermissionsDelete") is True,
                "view_all": record.get("PermissionsViewAllRecords") is True,
                "modify_all": record.get("PermissionsModifyAllRecords") is True,
            }
        )
    return sorted(rows, key=lambda row: (str(row["profile"]), str(row["object"])))


def org_defaults(organization: Mapping[str, Any]) -> dict[str, str | None]:
    """`access.org_defaults` from the Organization's Default*Access fields."""
    result: dict[str, str | None] = {}
    for object_name in ("Account", "Contact", "Lead", "Opportunity", "Case"):
        raw = organization.get(f"Default{object_name}Access")
        result[object_name] = "controlled_by_parent" if raw == "ControlledByParent" else ACCESS_LEVELS.get(str(raw))
    return result
