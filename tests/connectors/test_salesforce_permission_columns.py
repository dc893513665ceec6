"""Permission columns vary per org: the connector describes PermissionSet first and selects only what exists.

A SOQL query naming a column the org lacks fails as a whole with INVALID_FIELD; before, that took users,
profiles, permission sets and object permissions down together. Now an optional column the describe does not
list is left out of the query and named in every entry's `unread_permissions`, a missing core column makes the
identity keys an error naming it, and an INVALID_FIELD answer is an error naming the field.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from test_salesforce import PERMISSION_SET_DESCRIBE, USER, fake_org, item, run

from crmsec.connectors.salesforce.api import subrequest_error
from crmsec.errors import Reason

IDENTITY_KEYS = ("identity.users", "identity.profiles", "identity.permission_sets", "access.object_permissions")
ADMIN_SET = {
    "attributes": {"type": "PermissionSet"},
    "Id": "0PSA",
    "Name": "X00e0000",
    "Label": "System Administrator",
    "IsOwnedByProfile": True,
    "ProfileId": "00eA",
    "Profile": {"attributes": {"type": "Profile"}, "Name": "System Administrator"},
    "PermissionsModifyAllData": True,
    "PermissionsViewAllData": True,
    "PermissionsManageUsers": True,
    "PermissionsAuthorApex": True,
    "PermissionsApiEnabled": True,
    "PermissionsCustomizeApplication": True,
    "PermissionsViewSetup": True,
    "PermissionsExportReport": True,
    "PermissionsApiUserOnly": False,
    "PermissionsForceTwoFactor": True,
}
INVALID_FIELD = [
    {
        "message": "\nPermissionsManageEncryptionKeys\n^\nERROR at Row:1:Column:200\nNo such column "
        "'PermissionsManageEncryptionKeys' on entity 'PermissionSet'. If you are attempting to use a custom field, "
        "be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call "
        "for the appropriate names.",
        "errorCode": "INVALID_FIELD",
    }
]


def org(*, without: tuple[str, ...] = (), soql: list[str] | None = None) -> Any:
    """An org whose PermissionSet lacks the columns `without` (its SOQL refuses them, its describe omits them)."""
    describe = dict(PERMISSION_SET_DESCRIBE)
    describe["fields"] = [entry for entry in PERMISSION_SET_DESCRIBE["fields"] if entry["name"] not in without]

    def query(text: str, path: str) -> httpx.Response | None:
        if soql is not None:
            soql.append(text)
        if "FROM PermissionSet" in text and "FROM PermissionSetAssignment" not in text:
            if any(name in text for name in without):
                return httpx.Response(400, json=INVALID_FIELD)
            record = {key: value for key, value in ADMIN_SET.items() if key not in without}
            return httpx.Response(200, json={"totalSize": 1, "done": True, "records": [record]})
        if "FROM User" in text:
            return httpx.Response(200, json={"totalSize": 1, "done": True, "records": [USER]})
        return None

    base = fake_org(query)

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/sobjects/PermissionSet/describe"):
            return httpx.Response(200, json=describe, headers={"Sforce-Limit-Info": "api-usage=100/100000"})
        return base(request)

    return handler


@pytest.mark.anyio
async def test_an_optional_column_the_org_lacks_is_left_out_and_named_not_fatal() -> None:
    soql: list[str] = []
    recorder = await run(org(without=("PermissionsManageEncryptionKeys",), soql=soql), tls_scan="false")
    [permission_query] = [text for text in soql if "FROM PermissionSet" in text and "Assignment" not in text]
    assert "PermissionsManageEncryptionKeys" not in permission_query
    for key in IDENTITY_KEYS:
        assert item(recorder, key).error is None, (key, item(recorder, key).error)
    [user] = item(recorder, "identity.users").value
    assert user["unread_permissions"] == {"manage_encryption_keys": "PermissionSet.PermissionsManageEncryptionKeys"}
    assert user["is_admin"] is True and "modify_all_data" in user["permissions"]


@pytest.mark.anyio
async def test_an_org_with_every_column_reads_them_all_and_names_none() -> None:
    soql: list[str] = []
    recorder = await run(org(soql=soql), tls_scan="false")
    [permission_query] = [text for text in soql if "FROM PermissionSet" in text and "Assignment" not in text]
    assert "PermissionsManageEncryptionKeys" in permission_query
    [user] = item(recorder, "identity.users").value
    assert user["unread_permissions"] == {}


@pytest.mark.anyio
async def test_a_missing_core_column_makes_the_identity_keys_an_error_naming_it() -> None:
    recorder = await run(org(without=("PermissionsModifyAllData",)), tls_scan="false")
    for key in IDENTITY_KEYS:
        error = item(recorder, key).error
        assert error is not None, f"{key} was built without PermissionsModifyAllData"
        assert error.reason is Reason.MALFORMED_RESPONSE
        assert "PermissionsModifyAllData" in error.message
    assert item(recorder, "integrations.oauth_tokens").error is None


@pytest.mark.anyio
async def test_an_invalid_field_answer_is_an_error_naming_the_field() -> None:
    """The describe lists the column but the query is refused (e.g. a stale describe): a clear error, no body."""

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/query") and "FROM PermissionSet " in request.url.params.get("q", "") + " ":
            return httpx.Response(400, json=INVALID_FIELD, headers={"Sforce-Limit-Info": "api-usage=100/100000"})
        return org()(request)

    recorder = await run(handler, tls_scan="false")
    error = item(recorder, "identity.users").error
    assert error is not None and error.reason is Reason.HTTP_ERROR
    assert "INVALID_FIELD" in error.message
    assert "this org has no field PermissionSet.PermissionsManageEncryptionKeys" in error.message
    assert "WSDL" not in error.message  # only the names, never the rest of the body


def test_an_invalid_field_subrequest_names_the_field() -> None:
    error = subrequest_error("fields", 400, json.loads(json.dumps(INVALID_FIELD)), endpoint="GET /q")
    assert error.reason is Reason.HTTP_ERROR
    assert str(error) == (
        "GET /q (fields): HTTP 400 INVALID_FIELD, this org has no field PermissionSet.PermissionsManageEncryptionKeys"
    )
