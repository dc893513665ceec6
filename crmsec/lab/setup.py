"""The lab org's setup objects: Organization, connected apps, OAuth tokens, SSO, Shield keys, audit trail,
event logs, and the Tooling API's Health Check and FieldDefinition tables.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from crmsec.lab.identity import record_id
from crmsec.lab.scenarios import Posture
from crmsec.lab.soql import Record, Table

PII_FIELDS = (
    "Account.Phone",
    "Contact.Email",
    "Contact.MobilePhone",
    "Contact.Phone",
    "Contact.Birthdate",
    "Contact.National_ID__c",
    "Lead.Email",
    "Lead.Phone",
)
APPS = ("Data Loader Sync", "Marketing Cloud Connector", "Reporting Warehouse")
EVENT_TYPES = ("Login", "Logout", "API", "Report", "ReportExport", "URI", "BulkApi", "LightningPageView")


def _table(name: str, rows: list[Record], *extra: str, relationships: dict[str, str] | None = None) -> Table:
    fields = tuple(dict.fromkeys(key for row in rows for key in row if not key.startswith("__"))) or ("Id", *extra)
    return Table(name, rows, tuple(dict.fromkeys((*fields, *extra))), relationships or {})


def organization(posture: Posture, now: datetime) -> Record:
    """The single Organization row."""
    default = posture.org_default
    return {
        "__type__": "Organization",
        "Id": "00DLb0000000001EAA",
        "Name": f"Acme Lab ({posture.name})",
        "OrganizationType": "Enterprise Edition",
        "InstanceName": "LAB1",
        "IsSandbox": posture.sandbox,
        "DefaultAccountAccess": default,
        "DefaultContactAccess": "ControlledByParent",
        "DefaultLeadAccess": default,
        "DefaultOpportunityAccess": "None" if default == "Private" else default,
        "DefaultCaseAccess": default,
        "CreatedDate": now - timedelta(days=3000),
    }


def connected_apps(posture: Posture, now: datetime) -> list[Record]:
    """ConnectedApplication rows (the policies that live only in metadata are in `metadata.py`)."""
    validity = None if posture.refresh_policy == "infinite" else 30
    return [
        {
            "__type__": "ConnectedApplication",
            "Id": record_id("0H4", index),
            "Name": name,
            "OptionsAllowAdminApprovedUsersOnly": posture.admin_approved_only,
            "OptionsRefreshTokenValidityMetric": validity is not None,
            "RefreshTokenValidityPeriod": validity,
            "CreatedDate": now - timedelta(days=400 + 100 * index),
        }
        for index, name in enumerate(APPS)
    ]


def oauth_tokens(posture: Posture, now: datetime) -> list[Record]:
    """OauthToken rows: who authorised which app, and when each token was last used."""
    rows: list[Record] = []
    for index in range(12):
        stale = posture.stale_tokens and index % 3 == 0
        last_used = now - timedelta(days=400 if stale else index + 1)
        rows.append(
            {
                "__type__": "OauthToken",
                "Id": record_id("0CQ", index),
                "AppName": APPS[index % len(APPS)],
                "UserId": record_id("005", index % 3),
                "CreatedDate": now - timedelta(days=500 + index),
                "LastUsedDate": last_used,
                "UseCount": 0 if stale else 100 + index * 7,
            }
        )
    return rows


def tenant_secrets(posture: Posture, now: datetime) -> list[Record]:
    """Shield TenantSecret rows (none without Shield)."""
    if not posture.shield_encryption:
        return []
    return [
        {
            "__type__": "TenantSecret",
            "Id": record_id("02G", 0),
            "Type": "Data",
            "Status": "ACTIVE",
            "Version": 3,
            "Source": "HSM",
            "KeyDerivationMode": "PBKDF2",
            "CreatedDate": now - timedelta(days=posture.key_age_days),
        },
        {
            "__type__": "TenantSecret",
            "Id": record_id("02G", 1),
            "Type": "Data",
            "Status": "ARCHIVED",
            "Version": 2,
            "Source": "HSM",
            "KeyDerivationMode": "PBKDF2",
            "CreatedDate": now - timedelta(days=posture.key_age_days + 365),
        },
    ]


AUDIT_ACTIONS = (
    ("PermSetAssign", "users", {"en": "Assigned a permission set to a user", "de": "Berechtigungssatz zugewiesen"}),
    ("resetpassword", "users", {"en": "Reset the password of a user", "de": "Kennwort eines Benutzers zurückgesetzt"}),
    (
        "changedprofileforuser",
        "users",
        {"en": "Changed the profile of a user", "de": "Profil eines Benutzers geändert"},
    ),
    ("changedApexClass", "apex", {"en": "Changed an Apex class", "de": "Apex-Klasse geändert"}),
    ("suOrgAdminLogin", "users", {"en": "Logged in as a user", "de": "Als Benutzer angemeldet"}),
)
"""SetupAuditTrail `Action` API values (the same in every language) with their section and display text."""
AUDIT_SECTIONS = {
    "users": {"en": "Manage Users", "de": "Benutzer verwalten"},
    "apex": {"en": "Apex Class", "de": "Apex-Klasse"},
}
"""`Section` and `Display` are display text in the org's language (the lab's own synthetic German)."""


def audit_trail(posture: Posture, now: datetime) -> list[Record]:
    """SetupAuditTrail rows over the last 180 days, with `Section` and `Display` in the org's language."""
    rows: list[Record] = []
    for index in range(45):
        action, section, display = AUDIT_ACTIONS[index % len(AUDIT_ACTIONS)]
        rows.append(
            {
                "__type__": "SetupAuditTrail",
                "Id": record_id("0Ym", index),
                "Action": action,
                "Section": AUDIT_SECTIONS[section][posture.locale],
                "Display": display[posture.locale],
                "CreatedDate": now - timedelta(days=index * 4),
            }
        )
    return rows


def event_logs(posture: Posture, now: datetime) -> list[Record]:
    """EventLogFile rows: daily files per event type with Event Monitoring, none without."""
    if not posture.event_monitoring:
        return []
    return [
        {
            "__type__": "EventLogFile",
            "Id": record_id("0AT", day * len(EVENT_TYPES) + offset),
            "EventType": event,
            "LogDate": now - timedelta(days=day + 1),
            "LogFileLength": 10_000 + day,
        }
        for day in range(0, 365, 7)
        for offset, event in enumerate(EVENT_TYPES)
    ]


def setup_tables(posture: Posture, now: datetime) -> dict[str, Table]:
    """The setup objects of the REST API."""
    sso = (
        [
            {
                "__type__": "SamlSsoConfig",
                "Id": record_id("0LE", 0),
                "DeveloperName": "Corporate_IdP",
                "Issuer": "https://idp.example.test",
            }
        ]
        if posture.sso
        else []
    )
    providers = (
        [{"__type__": "AuthProvider", "Id": record_id("0SO", 0), "DeveloperName": "Google", "ProviderType": "Google"}]
        if posture.name == "mixed"
        else []
    )
    return {
        "Organization": _table("Organization", [organization(posture, now)]),
        "ConnectedApplication": _table("ConnectedApplication", connected_apps(posture, now)),
        "OauthToken": _table("OauthToken", oauth_tokens(posture, now)),
        "SamlSsoConfig": _table("SamlSsoConfig", sso, "DeveloperName", "Issuer"),
        "AuthProvider": _table("AuthProvider", providers, "DeveloperName", "ProviderType"),
        "TenantSecret": _table(
            "TenantSecret",
            tenant_secrets(posture, now),
            "Type",
            "Status",
            "Version",
            "Source",
            "KeyDerivationMode",
            "CreatedDate",
        ),
        "SetupAuditTrail": _table("SetupAuditTrail", audit_trail(posture, now)),
        "EventLogFile": _table("EventLogFile", event_logs(posture, now), "EventType", "LogDate", "LogFileLength"),
    }
