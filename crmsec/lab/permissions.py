"""The lab's permission model: profiles, permission sets and object permissions for a scenario's posture.

`crmsec.lab.identity` builds users on top of these and re-exports `record_id`.
"""

from __future__ import annotations

from crmsec.lab.scenarios import Posture
from crmsec.lab.soql import Record

PERMISSION_FIELDS = (
    "PermissionsModifyAllData",
    "PermissionsViewAllData",
    "PermissionsManageUsers",
    "PermissionsAuthorApex",
    "PermissionsApiEnabled",
    "PermissionsApiUserOnly",
    "PermissionsCustomizeApplication",
    "PermissionsViewSetup",
    "PermissionsManageEncryptionKeys",
    "PermissionsExportReport",
    "PermissionsForceTwoFactor",
)
ADMIN_PERMISSIONS = frozenset(PERMISSION_FIELDS) - {"PermissionsApiUserOnly", "PermissionsForceTwoFactor"}
SHARED_OBJECTS = ("Account", "Contact", "Lead", "Opportunity", "Case")
ADMIN_PROFILE_NAMES = {"en": "System Administrator", "de": "Systemadministrator"}


def record_id(prefix: str, index: int) -> str:
    """An 18-character Salesforce-style id that sorts in index order."""
    return f"{prefix}Lb{index:013d}"


def _profile(index: int, name: str, user_type: str, permissions: frozenset[str], *, mfa: bool) -> Record:
    profile: Record = {"__type__": "Profile", "Id": record_id("00e", index), "Name": name, "UserType": user_type}
    flags = {field: field in permissions for field in PERMISSION_FIELDS}
    flags["PermissionsForceTwoFactor"] = mfa
    profile["__permissions__"] = flags
    return profile


def build_profiles(posture: Posture) -> list[Record]:
    """The org's profiles, each carrying the permission flags of its owned permission set."""
    standard = frozenset({"PermissionsApiEnabled"} if posture.name == "misconfigured" else set())
    # A hardened org keeps encryption keys away from the all-powerful admin profile (separation of duties).
    admin = ADMIN_PERMISSIONS - ({"PermissionsManageEncryptionKeys"} if posture.name == "hardened" else set())
    return [
        # Standard profile names are translated in other languages (the metadata full name stays `Admin`).
        _profile(0, ADMIN_PROFILE_NAMES[posture.locale], "Standard", admin, mfa=posture.mfa_org_required),
        _profile(1, "Standard User", "Standard", standard | {"PermissionsExportReport"}, mfa=False),
        _profile(2, "Marketing User", "Standard", standard, mfa=False),
        _profile(3, "Read Only", "Standard", frozenset(), mfa=False),
        _profile(
            4, "Integration User", "Standard", frozenset({"PermissionsApiEnabled", "PermissionsApiUserOnly"}), mfa=False
        ),
        _profile(5, "Site Guest User", "Guest", frozenset(), mfa=False),
        _profile(6, "Customer Community User", "CspLitePortal", frozenset(), mfa=False),
        # A custom admin profile nobody holds yet: its metadata full name is URL-encoded (`Sales Ops%3A Admin`).
        _profile(7, "Sales Ops: Admin", "Standard", admin, mfa=posture.mfa_org_required),
    ]


def build_permission_sets(posture: Posture, profiles: list[Record]) -> list[Record]:
    """Profile-owned permission sets plus the standalone ones a scenario hands out."""
    sets: list[Record] = []
    for index, profile in enumerate(profiles):
        owned = {
            "__type__": "PermissionSet",
            "Id": record_id("0PS", index),
            "Name": f"X00e{index:04d}",
            "Label": profile["Name"],
            "IsOwnedByProfile": True,
            "ProfileId": profile["Id"],
            "Profile": profile,
        }
        sets.append(owned | profile["__permissions__"])
    standalone = [
        ("API_Integration", "API Integration", {"PermissionsApiEnabled"}),
        # A well-run org keeps View All Data to its admins; elsewhere the data steward holds it too.
        (
            "Data_Steward",
            "Data Steward",
            {"PermissionsExportReport"} | (set() if posture.name == "hardened" else {"PermissionsViewAllData"}),
        ),
        ("Sales_Ops", "Sales Operations", {"PermissionsExportReport"}),
    ]
    if posture.name != "hardened":
        standalone.append(("Admin_Lite", "Admin Lite", {"PermissionsModifyAllData", "PermissionsManageUsers"}))
    for offset, (name, label, permissions) in enumerate(standalone, start=len(sets)):
        flags = {field: field in permissions for field in PERMISSION_FIELDS}
        sets.append(
            {
                "__type__": "PermissionSet",
                "Id": record_id("0PS", offset),
                "Name": name,
                "Label": label,
                "IsOwnedByProfile": False,
                "ProfileId": None,
                "Profile": None,
            }
            | flags
        )
    return sets


def build_object_permissions(posture: Posture, permission_sets: list[Record]) -> list[Record]:
    """ObjectPermissions rows for every permission set on the shared objects."""
    rows: list[Record] = []
    for permission_set in permission_sets:
        profile = permission_set.get("Profile") or {}
        for object_name in SHARED_OBJECTS:
            flags = _object_flags(posture, permission_set, profile.get("Name"), object_name)
            if flags is None:
                continue
            rows.append(
                {
                    "__type__": "ObjectPermissions",
                    "Id": record_id("110", len(rows)),
                    "ParentId": permission_set["Id"],
                    "Parent": permission_set,
                    "SobjectType": object_name,
                }
                | flags
            )
    return rows


def _object_flags(posture: Posture, permission_set: Record, profile: str | None, object_name: str) -> Record | None:
    names = (
        "PermissionsRead",
        "PermissionsCreate",
        "PermissionsEdit",
        "PermissionsDelete",
        "PermissionsViewAllRecords",
        "PermissionsModifyAllRecords",
    )
    if profile == "Site Guest User":
        if not posture.guest_pii_access and object_name != "Case":
            return None
        granted = (True, True, posture.guest_pii_access, False, posture.guest_pii_access, False)
    elif permission_set["PermissionsModifyAllData"]:
        granted = (True, True, True, True, True, True)
    elif permission_set["PermissionsViewAllData"]:
        granted = (True, False, False, False, True, False)
    elif profile in ("Standard User", "Marketing User", "Customer Community User"):
        granted = (True, True, True, profile == "Standard User", False, False)
    elif profile == "Read Only":
        granted = (True, False, False, False, False, False)
    else:
        return None
    return dict(zip(names, granted, strict=True))
