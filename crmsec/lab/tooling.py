"""The lab's Tooling API tables (SecurityHealthCheck, SecurityHealthCheckRisks, EntityDefinition,
FieldDefinition) and the REST describe of each business object.
"""

from __future__ import annotations

from typing import Any

from crmsec.lab.identity import record_id
from crmsec.lab.records import ACCOUNT_FIELDS, CONTACT_FIELDS, LEAD_FIELDS
from crmsec.lab.scenarios import Posture
from crmsec.lab.setup import PII_FIELDS
from crmsec.lab.soql import Record, Table

FIELD_TYPES = {
    "Id": "id",
    "Email": "email",
    "Phone": "phone",
    "MobilePhone": "phone",
    "Birthdate": "date",
    "CreatedDate": "datetime",
    "LastModifiedDate": "datetime",
    "AccountId": "reference",
    "OwnerId": "reference",
    "Description": "textarea",
    "Website": "url",
    "Industry": "picklist",
    "Status": "picklist",
}
DESCRIBED = {
    "Contact": CONTACT_FIELDS,
    "Lead": LEAD_FIELDS,
    "Account": ACCOUNT_FIELDS,
    "Opportunity": ("Id", "Name", "CreatedDate", "LastModifiedDate"),
    "Case": ("Id", "Name", "CreatedDate", "LastModifiedDate"),
    "Backup_Log__c": (
        "Id",
        "Name",
        "Type__c",
        "Status__c",
        "Completed_At__c",
        "Retention_Days__c",
        "Encrypted__c",
        "Schedule__c",
        "Tool__c",
    ),
}
_BACKUP_TYPES = {"Completed_At__c": "datetime", "Retention_Days__c": "double", "Encrypted__c": "boolean"}
_LABELS = {"National_ID__c": "National ID", "MobilePhone": "Mobile Phone", "Birthdate": "Birthdate"}


def _risk(setting: str, group: str, category: str, org_raw: str, org_display: str, standard: str, ok: bool) -> Record:
    risk_type = "MEETS_STANDARD" if ok else ("HIGH_RISK" if category == "HIGH_RISK" else "MEDIUM_RISK")
    return {
        "__type__": "SecurityHealthCheckRisks",
        "Setting": setting,
        "SettingGroup": group,
        "SettingRiskCategory": category,
        "OrgValue": org_display,
        "OrgValueRaw": org_raw,
        "StandardValue": standard,
        "RiskType": risk_type,
    }


def health_check_risks(posture: Posture) -> list[Record]:
    """SecurityHealthCheckRisks rows consistent with the posture's password and session settings."""
    hardening = "true" if posture.session_hardening else "false"
    label = "Enabled" if posture.session_hardening else "Disabled"
    expiration = posture.expiration_days
    rows = [
        _risk(
            "Minimum password length",
            "Password Policies",
            "MEDIUM_RISK",
            str(posture.min_password_length),
            f"{posture.min_password_length} characters",
            "8 characters",
            posture.min_password_length >= 8,
        ),
        _risk(
            "Password complexity requirement",
            "Password Policies",
            "MEDIUM_RISK",
            posture.complexity,
            posture.complexity,
            "Must include alpha and numeric characters",
            posture.complexity != "NoRestriction",
        ),
        _risk(
            "Enforce password history",
            "Password Policies",
            "MEDIUM_RISK",
            str(posture.history),
            f"{posture.history} passwords remembered",
            "3 passwords remembered",
            posture.history >= 3,
        ),
        _risk(
            "User passwords expire in",
            "Password Policies",
            "MEDIUM_RISK",
            str(expiration),
            "Never expires" if expiration == 0 else f"{expiration} days",
            "90 days",
            0 < expiration <= 90,
        ),
        _risk(
            "Maximum invalid login attempts",
            "Password Policies",
            "HIGH_RISK",
            str(posture.max_login_attempts),
            "No limit" if posture.max_login_attempts == 0 else str(posture.max_login_attempts),
            "3",
            0 < posture.max_login_attempts <= 3,
        ),
        _risk(
            "Lockout effective period",
            "Password Policies",
            "LOW_RISK",
            str(posture.lockout_minutes),
            f"{posture.lockout_minutes} minutes",
            "30 minutes",
            posture.lockout_minutes >= 30,
        ),
        _risk(
            "Timeout value",
            "Session Settings",
            "LOW_RISK",
            str(posture.session_timeout_minutes),
            f"{posture.session_timeout_minutes} minutes",
            "2 hours",
            posture.session_timeout_minutes <= 120,
        ),
        _risk(
            "Force logout on session timeout",
            "Session Settings",
            "LOW_RISK",
            hardening,
            label,
            "Enabled",
            posture.session_hardening,
        ),
        _risk(
            "Lock sessions to the IP address from which they originated",
            "Session Settings",
            "INFORMATIONAL",
            hardening,
            label,
            "Enabled",
            posture.session_hardening,
        ),
        _risk(
            "Lock sessions to the domain in which they were first used",
            "Session Settings",
            "HIGH_RISK",
            hardening,
            label,
            "Enabled",
            posture.session_hardening,
        ),
        _risk(
            "Require secure connections (HTTPS)", "Session Settings", "HIGH_RISK", "true", "Enabled", "Enabled", True
        ),
        _risk(
            "Enable clickjack protection for Setup pages",
            "Session Settings",
            "HIGH_RISK",
            hardening,
            label,
            "Enabled",
            posture.session_hardening,
        ),
        _risk(
            "Require HttpOnly attribute",
            "Session Settings",
            "HIGH_RISK",
            hardening,
            label,
            "Enabled",
            posture.session_hardening,
        ),
        _risk(
            "Enable CSRF protection on GET requests on non-setup pages",
            "Session Settings",
            "HIGH_RISK",
            hardening,
            label,
            "Enabled",
            posture.session_hardening,
        ),
        _risk(
            "Multi-factor authentication for user interface logins",
            "Identity",
            "HIGH_RISK",
            "true" if posture.mfa_org_required else "false",
            "Enabled" if posture.mfa_org_required else "Disabled",
            "Enabled",
            posture.mfa_org_required,
        ),
    ]
    for index, row in enumerate(rows):
        row["Id"] = record_id("0Hr", index)
        row["DurableId"] = f"risk-{index}"
        row["SecurityHealthCheckId"] = "0HcLb0000000000001"
    return rows


def field_definitions(posture: Posture) -> list[Record]:
    """FieldDefinition rows (history tracking and classification) for every described object."""
    rows: list[Record] = []
    for object_name, fields in DESCRIBED.items():
        entity = {"__type__": "EntityDefinition", "QualifiedApiName": object_name, "Label": object_name}
        for field_name in fields:
            qualified = f"{object_name}.{field_name}"
            pii = qualified in PII_FIELDS
            rows.append(
                {
                    "__type__": "FieldDefinition",
                    "Id": f"{object_name}.{field_name}",
                    "QualifiedApiName": field_name,
                    "DurableId": qualified,
                    "EntityDefinitionId": object_name,
                    "EntityDefinition": entity,
                    "DataType": FIELD_TYPES.get(field_name, "string"),
                    "IsFieldHistoryTracked": posture.field_history and pii,
                    "SecurityClassification": ("Restricted" if "National" in field_name else "Confidential")
                    if posture.classification and pii
                    else None,
                    "ComplianceGroup": "PII;GDPR" if posture.classification and pii else None,
                }
            )
    return rows


def tooling_tables(posture: Posture) -> dict[str, Table]:
    """The Tooling API tables."""
    entities = [
        {"__type__": "EntityDefinition", "QualifiedApiName": name, "Label": name, "DurableId": name}
        for name in DESCRIBED
    ]
    return {
        "SecurityHealthCheck": Table(
            "SecurityHealthCheck",
            [
                {
                    "__type__": "SecurityHealthCheck",
                    "Id": "0HcLb0000000000001",
                    "Score": str(posture.health_score),
                    "CustomBaselineId": None,
                    "DurableId": "SFDCRecommended",
                }
            ],
            ("Id", "Score", "CustomBaselineId", "DurableId"),
        ),
        "SecurityHealthCheckRisks": Table(
            "SecurityHealthCheckRisks",
            health_check_risks(posture),
            (
                "Id",
                "DurableId",
                "SecurityHealthCheckId",
                "Setting",
                "SettingGroup",
                "SettingRiskCategory",
                "OrgValue",
                "OrgValueRaw",
                "StandardValue",
                "RiskType",
            ),
        ),
        "EntityDefinition": Table("EntityDefinition", entities, ("QualifiedApiName", "Label", "DurableId")),
        "FieldDefinition": Table(
            "FieldDefinition",
            field_definitions(posture),
            (
                "Id",
                "QualifiedApiName",
                "DurableId",
                "EntityDefinitionId",
                "DataType",
                "IsFieldHistoryTracked",
                "SecurityClassification",
                "ComplianceGroup",
            ),
            {"EntityDefinition": "EntityDefinition"},
        ),
    }


def describe(object_name: str, posture: Posture) -> dict[str, Any] | None:
    """The REST describe of `object_name`, or None when the lab does not have it."""
    fields = DESCRIBED.get(object_name)
    if fields is None:
        return None
    described = []
    for field_name in fields:
        field_type = _BACKUP_TYPES.get(field_name) or FIELD_TYPES.get(field_name, "string")
        encrypted = posture.shield_encryption and f"{object_name}.{field_name}" in PII_FIELDS
        described.append(
            {
                "name": field_name,
                "label": _LABELS.get(field_name, field_name.replace("__c", "").replace("_", " ")),
                "type": field_type,
                "encrypted": encrypted,
                "custom": field_name.endswith("__c"),
                "length": 255 if field_type in ("string", "email", "phone") else 0,
                "nillable": field_name != "Id",
                "filterable": True,
                "compoundFieldName": None,
            }
        )
    return {
        "name": object_name,
        "label": object_name.replace("__c", "").replace("_", " "),
        "custom": object_name.endswith("__c"),
        "queryable": True,
        "fields": described,
        "urls": {"describe": f"/services/data/v62.0/sobjects/{object_name}/describe"},
    }
