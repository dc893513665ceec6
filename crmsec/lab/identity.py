"""The lab org's identity tables: Profile, PermissionSet, ObjectPermissions, assignments, User, MFA, logins.

Users are generated lazily by index (`UserRows`), so a 50,000-user lab keeps only the profiles, the
permission sets and a bounded login history in memory.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, overload

from crmsec.lab.people import People
from crmsec.lab.permissions import (
    PERMISSION_FIELDS,
    build_object_permissions,
    build_permission_sets,
    build_profiles,
)
from crmsec.lab.permissions import record_id as record_id
from crmsec.lab.scenarios import Posture
from crmsec.lab.soql import Record, Table

ROLES = ("CEO", "VP Sales", "Sales Manager", "Sales Rep", "Support Agent", "Marketing")


@dataclass(frozen=True, slots=True)
class UserPlan:
    """How the user population is laid out by index."""

    total: int
    admins: int

    def profile_index(self, index: int, rng: random.Random) -> int:
        """Which profile user `index` has."""
        if index < self.admins:
            return 0
        special = index - self.admins
        if special == 0:
            return 4
        if special == 1:
            return 5
        return rng.choices((1, 2, 3, 6), weights=(60, 15, 15, 10))[0]


class UserRows(Sequence[Record]):
    """User rows generated on demand from (seed, index)."""

    def __init__(self, posture: Posture, people: People, profiles: list[Record], *, users: int, now: datetime):
        self.posture = posture
        self.people = people
        self.profiles = profiles
        self.now = now
        admins = min(users - 2, posture.admin_count + int(users * posture.admin_share))
        self.plan = UserPlan(total=users, admins=max(1, admins))
        self.roles = [
            {"__type__": "UserRole", "Id": record_id("00E", index), "Name": name} for index, name in enumerate(ROLES)
        ]

    def __len__(self) -> int:
        return self.plan.total

    @overload
    def __getitem__(self, index: int) -> Record: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Record]: ...
    def __getitem__(self, index: int | slice) -> Record | Sequence[Record]:
        if isinstance(index, slice):
            return [self[position] for position in range(*index.indices(len(self)))]
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self._user(index)

    def traits(self, index: int) -> tuple[random.Random, int, bool, datetime | None]:
        """(rng, profile index, active, last login) for user `index`."""
        rng = random.Random(f"{self.people.seed}:user:{index}")
        profile_index = self.plan.profile_index(index, rng)
        active = profile_index in (0, 4, 5) or rng.random() > 0.05
        stale = profile_index not in (0, 4, 5) and rng.random() < self.posture.inactive_share
        if profile_index == 5:
            last_login = None
        elif stale:
            last_login = None if rng.random() < 0.3 else self.now - timedelta(days=rng.randrange(120, 700))
        else:
            last_login = self.now - timedelta(hours=rng.randrange(1, 24 * 20))
        return rng, profile_index, active, last_login

    def _user(self, index: int) -> Record:
        rng, profile_index, active, last_login = self.traits(index)
        person = self.people.person(index, kind="user")
        profile = self.profiles[profile_index]
        user_type = profile["UserType"]
        role = (
            None
            if user_type != "Standard"
            else self.roles[min(index, len(self.roles) - 1) if index < 6 else rng.randrange(1, len(self.roles))]
        )
        username = f"{person.email.split('@')[0]}@acme-lab.example.test"
        if profile_index == 5:
            username = f"site-guest-{index}@acme-lab.example.test"
        return {
            "__type__": "User",
            "Id": record_id("005", index),
            "Username": username,
            "Name": person.name,
            "FirstName": person.first_name,
            "LastName": person.last_name,
            "Email": username,
            "IsActive": active,
            "UserType": user_type,
            "ProfileId": profile["Id"],
            "Profile": profile,
            "UserRoleId": role["Id"] if role else None,
            "UserRole": role,
            "LastLoginDate": last_login,
            "CreatedDate": self.now - timedelta(days=800 - index % 700),
            "FederationIdentifier": username if self.posture.sso and profile_index in (0, 1, 2, 3) else None,
        }

    def mfa_row(self, index: int) -> Record:
        """The TwoFactorMethodsInfo row of user `index`."""
        rng = random.Random(f"{self.people.seed}:mfa:{index}")
        share = 1.0 if self.posture.mfa_org_required and index < self.plan.admins else self.posture.mfa_registered_share
        registered = rng.random() < share
        return {
            "__type__": "TwoFactorMethodsInfo",
            "Id": record_id("0tf", index),
            "UserId": record_id("005", index),
            "HasSalesforceAuthenticator": registered and rng.random() < 0.6,
            "HasTotp": registered,
            "HasU2F": False,
            "HasSecurityKey": registered and index < self.plan.admins,
            "HasBuiltInAuthenticator": False,
            "HasVerifiedMobileNumber": rng.random() < 0.5,
        }


class MfaRows(Sequence[Record]):
    """TwoFactorMethodsInfo rows, one per user, generated on demand."""

    def __init__(self, users: UserRows) -> None:
        self.users = users

    def __len__(self) -> int:
        return len(self.users)

    @overload
    def __getitem__(self, index: int) -> Record: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Record]: ...
    def __getitem__(self, index: int | slice) -> Record | Sequence[Record]:
        if isinstance(index, slice):
            return [self[position] for position in range(*index.indices(len(self)))]
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self.users.mfa_row(index)


def build_assignments(users: UserRows, permission_sets: list[Record]) -> list[Record]:
    """PermissionSetAssignment rows for the standalone permission sets (bounded by the user count)."""
    by_name = {row["Name"]: row for row in permission_sets if not row["IsOwnedByProfile"]}
    rows: list[Record] = []
    for index in range(len(users)):
        rng, profile_index, _active, _login = users.traits(index)
        names = []
        if profile_index == 4:
            names.append("API_Integration")
        elif profile_index == 1 and rng.random() < 0.05:
            names.append("Sales_Ops")
        elif profile_index == 1 and rng.random() < 0.02 and users.posture.name != "hardened":
            names.append("Data_Steward")
        if "Admin_Lite" in by_name and profile_index == 1 and rng.random() < 0.01:
            names.append("Admin_Lite")
        for name in names:
            rows.append(
                {
                    "__type__": "PermissionSetAssignment",
                    "Id": record_id("0Pa", len(rows)),
                    "AssigneeId": record_id("005", index),
                    "PermissionSetId": by_name[name]["Id"],
                    "PermissionSet": by_name[name],
                }
            )
    return rows


def build_login_history(users: UserRows, *, now: datetime, limit: int = 3000) -> list[Record]:
    """LoginHistory rows of the last 30 days for the first `limit` users (the lab keeps this bounded).

    A recently active user signs in about `posture.logins_per_month` times, the last time at LastLoginDate.
    """
    rows: list[Record] = []
    typical = users.posture.logins_per_month
    for index in range(min(len(users), limit)):
        rng, profile_index, active, last_login = users.traits(index)
        if not active or last_login is None or now - last_login > timedelta(days=29):
            continue
        source = f"10.20.{rng.randrange(256)}.{rng.randrange(1, 255)}"
        for number in range(max(1, rng.randrange(typical // 2, typical + typical // 2 + 1))):
            moment = last_login if number == 0 else now - timedelta(minutes=rng.randrange(1, 60 * 24 * 29))
            rows.append(
                {
                    "__type__": "LoginHistory",
                    "Id": record_id("0Ya", len(rows)),
                    "UserId": record_id("005", index),
                    "LoginTime": moment,
                    "Status": "Success" if rng.random() > 0.05 else "Invalid Password",
                    "LoginType": "Remote Access 2.0" if profile_index == 4 else "Application",
                    "SourceIp": source,
                    "TlsProtocol": "TLS 1.3" if rng.random() < 0.7 else "TLS 1.2",
                }
            )
    return rows


def identity_tables(posture: Posture, people: People, *, users: int, now: datetime) -> dict[str, Table]:
    """Every identity table of the lab org."""
    profiles = build_profiles(posture)
    permission_sets = build_permission_sets(posture, profiles)
    user_rows = UserRows(posture, people, profiles, users=users, now=now)
    profile_fields = ("Id", "Name", "UserType")
    permission_set_fields = ("Id", "Name", "Label", "IsOwnedByProfile", "ProfileId", *PERMISSION_FIELDS)
    user_fields = (
        "Id",
        "Username",
        "Name",
        "FirstName",
        "LastName",
        "Email",
        "IsActive",
        "UserType",
        "ProfileId",
        "UserRoleId",
        "LastLoginDate",
        "CreatedDate",
        "FederationIdentifier",
    )
    mfa_fields = (
        "Id",
        "UserId",
        "HasSalesforceAuthenticator",
        "HasTotp",
        "HasU2F",
        "HasSecurityKey",
        "HasBuiltInAuthenticator",
        "HasVerifiedMobileNumber",
    )
    return {
        "Profile": Table("Profile", profiles, profile_fields),
        "PermissionSet": Table("PermissionSet", permission_sets, permission_set_fields, {"Profile": "Profile"}),
        "ObjectPermissions": Table(
            "ObjectPermissions",
            build_object_permissions(posture, permission_sets),
            (
                "Id",
                "ParentId",
                "SobjectType",
                "PermissionsRead",
                "PermissionsCreate",
                "PermissionsEdit",
                "PermissionsDelete",
                "PermissionsViewAllRecords",
                "PermissionsModifyAllRecords",
            ),
            {"Parent": "PermissionSet"},
        ),
        "PermissionSetAssignment": Table(
            "PermissionSetAssignment",
            build_assignments(user_rows, permission_sets),
            ("Id", "AssigneeId", "PermissionSetId"),
            {"PermissionSet": "PermissionSet"},
        ),
        "User": Table("User", user_rows, user_fields, {"Profile": "Profile", "UserRole": "UserRole"}),
        "UserRole": Table("UserRole", user_rows.roles, ("Id", "Name")),
        "TwoFactorMethodsInfo": Table("TwoFactorMethodsInfo", MfaRows(user_rows), mfa_fields),
        "LoginHistory": Table(
            "LoginHistory",
            build_login_history(user_rows, now=now),
            ("Id", "UserId", "LoginTime", "Status", "LoginType", "SourceIp", "TlsProtocol"),
        ),
    }


def strip_private(record: dict[str, Any]) -> dict[str, Any]:
    """A record without the lab's private keys (`__type__`, `__permissions__`)."""
    return {key: value for key, value in record.items() if not key.startswith("__")}
