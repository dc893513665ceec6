"""Contract tests: the Salesforce connector against response bodies shaped like the published reference.

The bodies live in tests/fixtures/salesforce_reference (see its README for the reference section of each).
Every other call gets an empty but well-formed answer. The assertions pin what the connector must read
from the documented shapes: settings by API name from SecuritySettings metadata, refresh-token policies
with their unit, the current Health Check row with a decimal score, and query paging.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx

from crmsec.connectors.base import Recorder
from crmsec.connectors.http import make_client
from crmsec.connectors.salesforce import SalesforceConnector, platform, settings
from crmsec.errors import ConnectorError, Reason
from crmsec.target import Secret, Target

FIXTURES = Path(__file__).parents[1] / "fixtures" / "salesforce_reference"
BASE = "https://org.example.test"
HOST = "org.example.test"
EMPTY_SOAP = (
    b'<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">'
    b"<soapenv:Body><readMetadataResponse><result/></readMetadataResponse></soapenv:Body></soapenv:Envelope>"
)
EMPTY_PAGE = {"totalSize": 0, "done": True, "records": []}
SOAP_FIXTURES = {
    "SecuritySettings": "metadata/readMetadata_SecuritySettings.xml",
    "ConnectedApp": "metadata/readMetadata_ConnectedApp.xml",
    "ExternalClientApplication": "metadata/readMetadata_ExternalClientApplication.xml",
    "ExtlClntAppOauthSettings": "metadata/readMetadata_ExtlClntAppOauthSettings.xml",
    "ExtlClntAppOauthConfigurablePolicies": "metadata/readMetadata_ExtlClntAppOauthConfigurablePolicies.xml",
}
LIST_FIXTURES = {
    "ConnectedApp": "metadata/listMetadata_ConnectedApp.xml",
    "ExternalClientApplication": "metadata/listMetadata_ExternalClientApps.xml",
}
"""listMetadata answers by the first queried type (the connector lists the three external client app types at once)."""


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def fixture_json(name: str) -> Any:
    return json.loads(fixture_bytes(name))


Overrides = dict[str, bytes]


def reference_org(overrides: Overrides | None = None) -> Callable[[httpx.Request], httpx.Response]:
    """Answers from the reference fixtures (`overrides`: fixture name -> replacement body)."""
    files = overrides or {}

    def body(name: str) -> bytes:
        return files.get(name) or fixture_bytes(name)

    def tooling_answer(url: str) -> Any:
        soql = httpx.URL(url).params.get("q", "")
        if soql.endswith("FROM SecurityHealthCheckRisks"):
            return json.loads(body("tooling/query_SecurityHealthCheckRisks.json"))
        if soql.endswith("FROM SecurityHealthCheck"):
            return json.loads(body("tooling/query_SecurityHealthCheck.json"))
        return EMPTY_PAGE

    def rest_answer(url: str) -> Any:
        described = re.search(r"/sobjects/(\w+)/describe$", httpx.URL(url).path)
        if described is None:
            return EMPTY_PAGE
        if described.group(1) == "PermissionSet":
            return json.loads(body("rest/describe_PermissionSet.json"))
        # The Account describe stands in for every business object (only the names differ).
        name = described.group(1)
        return json.loads(body("rest/describe_Account.json")) | {"name": name, "label": name}

    def handle(request: httpx.Request) -> httpx.Response:
        headers = {"Sforce-Limit-Info": "api-usage=130/15000"}
        path = request.url.path
        if path.startswith("/services/Soap/m/"):
            kind = re.search(rb"<met:type>(\w+)</met:type>", request.content)
            listing = b"<met:listMetadata>" in request.content
            name = (LIST_FIXTURES if listing else SOAP_FIXTURES).get(kind.group(1).decode() if kind else "")
            content = body(name) if name else EMPTY_SOAP
            status = 500 if b"<soapenv:Fault>" in content else 200  # the Metadata API sends faults with HTTP 500
            return httpx.Response(status, content=content, headers=headers)
        if path.rstrip("/") == "/services/data":
            return httpx.Response(200, content=body("rest/versions.json"), headers=headers)
        if path.endswith("/limits"):
            return httpx.Response(200, content=body("rest/limits.json"), headers=headers)
        if path.endswith("/limits/recordCount"):
            return httpx.Response(200, content=body("rest/limits_recordCount.json"), headers=headers)
        if path.endswith("/sobjects/PermissionSet/describe"):
            return httpx.Response(200, content=body("rest/describe_PermissionSet.json"), headers=headers)
        if path.endswith("/composite"):
            tooling = "/tooling/" in path
            template = fixture_json("tooling/composite_SecurityHealthCheck.json")["compositeResponse"][0]
            answers = [
                template
                | {
                    "referenceId": item["referenceId"],
                    "body": tooling_answer(item["url"]) if tooling else rest_answer(item["url"]),
                }
                for item in json.loads(request.content)["compositeRequest"]
            ]
            return httpx.Response(200, json={"compositeResponse": answers}, headers=headers)
        if path.endswith("/query/01gXX0000000001AAA-2000"):
            return httpx.Response(200, content=body("rest/query_User_page2.json"), headers=headers)
        if path.endswith("/query"):
            soql = request.url.params.get("q", "")
            if " FROM User " in soql:
                return httpx.Response(200, content=body("rest/query_User_page1.json"), headers=headers)
            if soql.endswith("FROM ConnectedApplication"):
                return httpx.Response(200, content=body("rest/query_ConnectedApplication.json"), headers=headers)
            return httpx.Response(200, json=EMPTY_PAGE, headers=headers)
        return httpx.Response(404, json=[{"errorCode": "NOT_FOUND", "message": "not in the fixtures"}], headers=headers)

    return handle


async def no_sleep(seconds: float) -> None:
    return None


async def collect(overrides: Overrides | None = None) -> dict[str, Any]:
    target = Target(platform="salesforce", url=BASE, secret=Secret("tok"), options={"tls_scan": "false"})
    recorder = Recorder()
    async with make_client(target) as client:
        with respx.mock:
            respx.route(host=HOST).mock(side_effect=reference_org(overrides))
            await SalesforceConnector(sleeper=no_sleep).collect(target, client, recorder)
    snapshot = recorder.build(Target(platform="salesforce", url=BASE), connector="t", connector_version="0")
    return dict(snapshot.items)


def value(items: dict[str, Any], key: str) -> Any:
    item = items[key]
    assert item.error is None, f"{key}: {item.error}"
    return item.value


@pytest.fixture(scope="module")
def items() -> dict[str, Any]:
    import anyio

    return anyio.run(collect)


def test_password_policy_is_read_from_security_settings_by_api_name(items: dict[str, Any]) -> None:
    assert value(items, "auth.password_policy") == {
        "min_length": 12,
        "complexity": "Any3UpperLowerCaseNumericSpecialCharacters",
        "history_count": 5,
        "expiration_days": 180,
        "max_login_attempts": 5,
        "lockout_minutes": 0,
    }


def test_session_settings_and_org_mfa_are_read_from_security_settings(items: dict[str, Any]) -> None:
    assert value(items, "auth.session_settings") == {
        "idle_timeout_minutes": 90,
        "lock_sessions_to_ip": False,
        "lock_sessions_to_domain": True,
        "https_required": None,  # requireHttps exists up to API 60.0 only: not reported, never guessed
        "clickjack_protection": True,
        "http_only_cookies": True,
        "csrf_protection": True,
        "force_logout_on_timeout": False,
    }
    assert value(items, "auth.mfa") == {"enforced_for_all": True, "enforced_for_admins": True, "enforcement": "org"}
    assert value(items, "auth.login_ip_ranges")["org"] == [
        {"start": "192.0.2.0", "end": "192.0.2.255", "description": "Branch office"}
    ]


def test_refresh_token_policies_carry_their_unit(items: dict[str, Any]) -> None:
    apps = {app["name"]: app for app in value(items, "integrations.connected_apps")}
    billing, mobile = apps["Billing Sync"], apps["Field Service Mobile"]
    assert (billing["refresh_token_policy"], billing["refresh_token_validity_days"]) == ("expiring", 1.5)
    assert (mobile["refresh_token_policy"], mobile["refresh_token_validity_days"]) == ("expiring", 93)
    assert (billing["ip_relaxed"], mobile["ip_relaxed"]) == (False, True)
    assert billing["scopes"] == ["Api", "RefreshToken"]
    assert (billing["admin_approved_only"], mobile["admin_approved_only"]) == (True, False)
    assert (billing["kind"], billing["api_name"], billing["note"]) == ("connected_app", "Billing_Sync", None)


def test_external_client_apps_are_integrations_with_their_oauth_policies(items: dict[str, Any]) -> None:
    apps = {app["name"]: app for app in value(items, "integrations.connected_apps")}
    portal, legacy = apps["Partner Portal"], apps["Legacy Import"]
    assert (portal["kind"], portal["api_name"]) == ("external_client_app", "Partner_Portal")
    assert portal["scopes"] == ["Api", "RefreshToken"]
    assert (portal["refresh_token_policy"], portal["refresh_token_validity_days"]) == ("expiring", 62)
    assert (portal["admin_approved_only"], portal["ip_relaxed"], portal["note"]) == (True, True, None)
    # No policies component names this app: its policies stay unknown, with the reason, never a default.
    assert legacy["scopes"] == ["Api", "Full"]
    assert (legacy["refresh_token_policy"], legacy["admin_approved_only"], legacy["ip_relaxed"]) == (None, None, None)
    assert legacy["note"] == "no ExtlClntAppOauthConfigurablePolicies component names this app"


@pytest.mark.anyio
async def test_unreadable_external_client_app_policies_keep_the_fault_as_the_reason() -> None:
    fault = fixture_bytes("metadata/fault_INSUFFICIENT_ACCESS.xml")
    items = await collect({"metadata/readMetadata_ExtlClntAppOauthConfigurablePolicies.xml": fault})
    portal = {app["name"]: app for app in value(items, "integrations.connected_apps")}["Partner Portal"]
    assert portal["refresh_token_policy"] is None and portal["ip_relaxed"] is None
    assert portal["note"].startswith("ExtlClntAppOauthConfigurablePolicies could not be read (permission_denied")


@pytest.mark.anyio
async def test_a_garbled_policies_answer_makes_the_key_an_error_not_manual() -> None:
    # A passing fault (here an answer that is not XML) must not turn a verdict into MANUAL: fail closed.
    items = await collect({"metadata/readMetadata_ExtlClntAppOauthConfigurablePolicies.xml": b"<html>oops"})
    assert items["integrations.connected_apps"].error.reason is Reason.MALFORMED_RESPONSE


@pytest.mark.anyio
async def test_a_failed_listing_of_external_client_apps_makes_the_key_an_error() -> None:
    fault = fixture_bytes("metadata/fault_INSUFFICIENT_ACCESS.xml")
    items = await collect({"metadata/listMetadata_ExternalClientApps.xml": fault})
    assert items["integrations.connected_apps"].error.reason is Reason.PERMISSION_DENIED


def test_health_check_takes_the_current_row_and_a_decimal_score(items: dict[str, Any]) -> None:
    health = value(items, "platform.health_check")
    assert health["score"] == 85.71
    assert health["baseline"] == "SFDCRecommended"
    assert [risk["id"] for risk in health["risks"]] == [
        "PasswordPolicies.maxLoginAttempts",
        "PasswordPolicies.minPasswordLength",
        "SessionSettings.requireHttpOnly",
    ]


def test_users_are_paged_through_next_records_url(items: dict[str, Any]) -> None:
    users = value(items, "identity.users")
    assert sorted(user["id"] for user in users) == [f"005XX00000000{n:02d}AAA" for n in (1, 2, 3)]
    assert [user["active"] for user in sorted(users, key=lambda user: user["id"])] == [True, True, False]


def test_record_counts_come_from_the_record_count_resource(items: dict[str, Any]) -> None:
    """`limits/recordCount` is a GET of its own (`/composite` refuses it); objects it leaves out have no count."""
    counts = {entry["label"]: entry["record_count"] for entry in value(items, "schema.objects")}
    assert counts == {"Account": 3, "Contact": 10, "Lead": None, "Opportunity": None, "Case": None}


def test_a_permission_column_the_describe_does_not_list_is_named_unread(items: dict[str, Any]) -> None:
    """The reference describe has no PermissionsManageEncryptionKeys: the users are read, with that gap named."""
    users = value(items, "identity.users")
    assert users
    unread = {"manage_encryption_keys": "PermissionSet.PermissionsManageEncryptionKeys"}
    assert all(user["unread_permissions"] == unread for user in users)


@pytest.mark.anyio
async def test_an_undocumented_enum_value_makes_the_key_an_error_naming_the_field() -> None:
    xml = fixture_bytes("metadata/readMetadata_SecuritySettings.xml").replace(b"FiveAttempts", b"SevenAttempts")
    result = await collect({"metadata/readMetadata_SecuritySettings.xml": xml})
    error = result["auth.password_policy"].error
    assert error is not None and error.reason == Reason.MALFORMED_RESPONSE
    assert "passwordPolicies.maxLoginAttempts" in error.message and "SevenAttempts" in error.message
    assert result["auth.session_settings"].error is None


@pytest.mark.anyio
async def test_health_check_rows_that_cannot_be_told_apart_are_an_error_not_a_guess() -> None:
    risks = fixture_json("tooling/query_SecurityHealthCheckRisks.json")
    for row in risks["records"]:
        row.pop("SecurityHealthCheckId")
    result = await collect({"tooling/query_SecurityHealthCheckRisks.json": json.dumps(risks).encode()})
    error = result["platform.health_check"].error
    assert error is not None and error.reason == Reason.MALFORMED_RESPONSE
    assert value(result, "auth.password_policy")["min_length"] == 12


@pytest.mark.anyio
async def test_translated_health_check_labels_change_nothing_but_the_labels() -> None:
    risks = fixture_json("tooling/query_SecurityHealthCheckRisks.json")
    for row in risks["records"]:
        row["Setting"], row["SettingGroup"] = f"Einstellung {row['DurableId']}", "Kennwortrichtlinien"
    result = await collect({"tooling/query_SecurityHealthCheckRisks.json": json.dumps(risks).encode()})
    baseline = await collect()
    for key in ("auth.password_policy", "auth.session_settings", "auth.mfa", "identity.users"):
        assert value(result, key) == value(baseline, key), key
    assert [risk["id"] for risk in value(result, "platform.health_check")["risks"]] == [
        risk["id"] for risk in value(baseline, "platform.health_check")["risks"]
    ]


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        ("infinite", ("infinite", None)),
        ("zero", ("none", None)),
        ("specific_lifetime:720:HOURS", ("expiring", 30)),
        ("specific_lifetime:36:HOURS", ("expiring", 1.5)),
        ("specific_inactivity:7:DAYS", ("expiring", 7)),
        ("specific_inactivity:2:MONTHS", ("expiring", 62)),
        ("specific_lifetime", (None, None)),  # no validity: undocumented, so not guessed
        ("immediately", (None, None)),  # a Setup label, not a metadata value
        ("specific_lifetime:3:WEEKS", (None, None)),
    ],
)
def test_refresh_policy_values_map_per_the_reference(policy: str, expected: tuple[str | None, float | None]) -> None:
    assert platform.refresh_policy(policy) == expected


@pytest.mark.parametrize(("raw", "expected"), [("85.71", 85.71), ("86", 86), ("96.00", 96), (None, None)])
def test_health_check_score_is_a_decimal_string(raw: str | None, expected: float | None) -> None:
    assert settings.score_of(raw) == expected


@pytest.mark.parametrize("raw", ["high", "101", "-1", "NaN"])
def test_a_score_that_is_not_a_percentage_is_malformed(raw: str) -> None:
    with pytest.raises(ConnectorError) as caught:
        settings.score_of(raw)
    assert caught.value.reason is Reason.MALFORMED_RESPONSE


def test_security_settings_without_a_security_record_is_malformed() -> None:
    with pytest.raises(ConnectorError) as caught:
        settings.security_record([])
    assert caught.value.reason is Reason.MALFORMED_RESPONSE


def test_absent_fields_stay_null_and_a_non_boolean_flag_is_malformed() -> None:
    assert settings.password_policy({"passwordPolicies": {}}) == dict.fromkeys(
        ("min_length", "complexity", "history_count", "expiration_days", "max_login_attempts", "lockout_minutes")
    )
    with pytest.raises(ConnectorError):
        settings.session_settings({"sessionSettings": {"lockSessionsToIp": "yes"}})


def test_risk_rows_of_another_evaluation_are_malformed_not_an_empty_risk_list() -> None:
    check = {"Id": "0HcXX0000000002AAA", "Score": "90"}
    risk = {"DurableId": "SessionSettings.requireHttpOnly", "SecurityHealthCheckId": "0HcXX0000000009AAA"}
    with pytest.raises(ConnectorError) as caught:
        settings.health_check([check], [risk])
    assert caught.value.reason is Reason.MALFORMED_RESPONSE
    assert settings.health_check([check], [])["risks"] == []


@pytest.mark.anyio
async def test_a_metadata_fault_makes_every_settings_key_an_error_with_its_reason() -> None:
    fault = fixture_bytes("metadata/fault_INSUFFICIENT_ACCESS.xml")
    result = await collect({"metadata/readMetadata_SecuritySettings.xml": fault})
    for key in ("auth.password_policy", "auth.session_settings", "auth.mfa", "auth.login_ip_ranges"):
        error = result[key].error
        assert error is not None and error.reason == Reason.PERMISSION_DENIED, key
    assert value(result, "platform.health_check")["score"] == 85.71
