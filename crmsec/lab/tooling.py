"""The lab's Tooling API tables (SecurityHealthCheck, SecurityHealthCheckRisks, EntityDefinition,
FieldDefinition) and the REST describe of each business object.
"""

from __future__ import annotations

from typing import Any

from crmsec.lab.health_check import health_check_risks, health_checks
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
}
_LABELS = {"National_ID__c": "National ID", "MobilePhone": "Mobile Phone", "Birthdate": "Birthdate"}


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
            health_checks(posture),
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
                "StandardValueRaw",
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


def describe_table(table: Table) -> dict[str, Any]:
    """A REST describe built from a lab table's schema (setup and identity objects such as PermissionSet):
    it lists exactly the fields the table's SOQL accepts, so an org variant without a field omits it here too."""
    described = [
        {
            "name": name,
            "label": name.removeprefix("Permissions"),
            "type": _table_field_type(name),
            "encrypted": False,
            "custom": name.endswith("__c"),
            "length": 18 if _table_field_type(name) in ("id", "reference") else 0,
            "nillable": name != "Id",
            "filterable": True,
            "compoundFieldName": None,
        }
        for name in table.fields
    ]
    return {
        "name": table.name,
        "label": table.name,
        "custom": table.name.endswith("__c"),
        "queryable": True,
        "fields": described,
        "urls": {"describe": f"/services/data/v62.0/sobjects/{table.name}/describe"},
    }


def _table_field_type(name: str) -> str:
    if name == "Id":
        return "id"
    if name.endswith("Id"):
        return "reference"
    if name.startswith(("Permissions", "Is", "Has")):
        return "boolean"
    return "datetime" if name.endswith(("Date", "Time")) else "string"


def describe(object_name: str, posture: Posture) -> dict[str, Any] | None:
    """The REST describe of `object_name`, or None when the lab does not have it."""
    fields = DESCRIBED.get(object_name)
    if fields is None:
        return None
    described = []
    for field_name in fields:
        field_type = FIELD_TYPES.get(field_name, "string")
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
