"""SalesforceConnector edge cases against a respx-faked org: paging, 401, 403, budget, malformed answers."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import httpx
import pytest
import respx

from crmsec.connectors.base import Recorder
from crmsec.connectors.http import make_client
from crmsec.connectors.salesforce import SalesforceConnector
from crmsec.connectors.salesforce.identity import EXTRA_FLAGS, PERMISSION_SET_FIELDS, PERMISSIONS
from crmsec.errors import Reason, TargetError
from crmsec.redaction import mask_identity
from crmsec.target import Secret, Target

BASE = "https://org.example.test"
EMPTY_SOAP = (
    b'<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">'
    b"<soapenv:Body><readMetadataResponse><result><records><fullName>Security</fullName></records></result>"
    b"</readMetadataResponse></soapenv:Body></soapenv:Envelope>"
)
"""Every readMetadata answers a SecuritySettings record without settings (identity.users needs one to say
whether the org requires MFA; a missing one is an error); other metadata types ignore it."""
USER = {
    "attributes": {"type": "User"},
    "Id": "005A",
    "Username": "a@example.test",
    "Name": "Ann Admin",
    "IsActive": True,
    "UserType": "Standard",
    "ProfileId": "00eA",
    "Profile": {"Name": "System Administrator"},
    "UserRole": None,
    "LastLoginDate": "2026-11-01T08:00:00.000+0000",
    "CreatedDate": "2020-01-01T00:00:00.000+0000",
    "FederationIdentifier": None,
}


PERMISSION_SET_DESCRIBE = {
    "name": "PermissionSet",
    "fields": [
        {"name": name, "type": "boolean" if name.startswith(("Permissions", "Is")) else "string"}
        for name in (*PERMISSION_SET_FIELDS, *PERMISSIONS, *EXTRA_FLAGS)
    ],
}
"""The describe of an org with every permission column the connector reads."""


async def no_sleep(seconds: float) -> None:
    return None


def fake_org(
    query: Callable[[str, str], httpx.Response | None] | None = None,
    *,
    usage: str = "api-usage=100/100000",
    failing: Callable[[str], bool] = lambda url: False,
) -> Callable[[httpx.Request], httpx.Response]:
    """A handler answering every endpoint with empty but well-formed results, unless `query` overrides.

    Composite subrequests whose url `failing` picks answer 500 inside an otherwise successful composite.
    """

    def handle(request: httpx.Request) -> httpx.Response:
        headers = {"Sforce-Limit-Info": usage}
        path = request.url.path
        if path.startswith("/services/Soap/"):
            return httpx.Response(200, content=EMPTY_SOAP, headers=headers)
        if path.endswith("/composite"):
            items = __import__("json").loads(request.content)["compositeRequest"]
            answers = [
                {
                    "referenceId": item["referenceId"],
                    "httpStatusCode": 500 if failing(item["url"]) else 200,
                    "httpHeaders": {},
                    "body": [{"errorCode": "UNKNOWN_EXCEPTION", "message": "x"}]
                    if failing(item["url"])
                    else {"totalSize": 0, "done": True, "records": []},
                }
                for item in items
            ]
            return httpx.Response(200, json={"compositeResponse": answers}, headers=headers)
        if path.endswith("/limits/recordCount"):
            return httpx.Response(200, json={"sObjects": []}, headers=headers)
        if path.endswith("/sobjects/PermissionSet/describe"):
            return httpx.Response(200, json=PERMISSION_SET_DESCRIBE, headers=headers)
        if "/query" in path:
            text = request.url.params.get("q", "") or path
            custom = query(text, path) if query else None
            if custom is not None:
                custom.headers.update(headers)
                return custom
            return httpx.Response(200, json={"totalSize": 0, "done": True, "records": []}, headers=headers)
        return httpx.Response(200, json={"DailyApiRequests": {"Max": 100000, "Remaining": 99900}}, headers=headers)

    return handle


async def run(handler: Callable[[httpx.Request], httpx.Response], **options: str) -> Recorder:
    target = Target(platform="salesforce", url=BASE, secret=Secret("tok"), options=options)
    recorder = Recorder()
    async with make_client(target) as client:
        with respx.mock:
            respx.route(host="org.example.test").mock(side_effect=handler)
            await SalesforceConnector(sleeper=no_sleep).collect(target, client, recorder)
    return recorder


def item(recorder: Recorder, key: str) -> Any:
    snapshot = recorder.build(Target(platform="salesforce", url=BASE), connector="t", connector_version="0")
    return snapshot.items[key]


@pytest.mark.anyio
async def test_users_are_paged_through_next_records_url() -> None:
    pages = {"first": 0}

    def users(text: str, path: str) -> httpx.Response | None:
        if "FROM User" in text:
            second = dict(USER, Id="005B", Username="b@example.test")
            pages["first"] += 1
            return httpx.Response(
                200,
                json={
                    "totalSize": 2,
                    "done": False,
                    "records": [USER],
                    "nextRecordsUrl": "/services/data/v62.0/query/01gX-1",
                    "_": second,
                },
            )
        if path.endswith("/query/01gX-1"):
            return httpx.Response(
                200, json={"totalSize": 2, "done": True, "records": [dict(USER, Id="005B", Username="b@example.test")]}
            )
        return None

    recorder = await run(fake_org(users))
    value = item(recorder, "identity.users").value
    assert [user["id"] for user in value] == ["005A", "005B"]  # ids join as they are; usernames are masked
    assert [user["username"] for user in value] == [mask_identity("a@example.test"), mask_identity("b@example.test")]
    assert value[0]["name"] != "Ann Admin"  # masked


@pytest.mark.anyio
async def test_first_call_401_raises_target_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(401, json=[{"errorCode": "INVALID_SESSION_ID", "message": "Session expired or invalid"}])

    with pytest.raises(TargetError) as caught:
        await run(handler)
    assert caught.value.reason is Reason.AUTHENTICATION_FAILED
    assert "tok" not in str(caught.value)


@pytest.mark.anyio
async def test_403_on_users_becomes_permission_denied_evidence_error() -> None:
    def forbid(text: str, path: str) -> httpx.Response | None:
        if "FROM User" in text:
            return httpx.Response(403, json=[{"errorCode": "INSUFFICIENT_ACCESS", "message": "no"}])
        return None

    recorder = await run(fake_org(forbid))
    users = item(recorder, "identity.users")
    assert users.error is not None and users.error.reason is Reason.PERMISSION_DENIED
    assert item(recorder, "org.info").error is None or item(recorder, "org.info").error.reason is not None
    assert item(recorder, "stability.api").value["errors"] >= 1


@pytest.mark.anyio
async def test_malformed_query_answer_becomes_malformed_response() -> None:
    def broken(text: str, path: str) -> httpx.Response | None:
        return httpx.Response(200, content=b"<html>") if "FROM TenantSecret" in text else None

    recorder = await run(fake_org(broken))
    encryption = item(recorder, "encryption.platform")
    assert encryption.error is not None and encryption.error.reason is Reason.MALFORMED_RESPONSE


@pytest.mark.anyio
async def test_budget_stops_collection_and_records_budget_exhausted() -> None:
    recorder = await run(fake_org(usage="api-usage=99990/100000"), budget_share="0.5")
    snapshot = recorder.build(Target(platform="salesforce", url=BASE), connector="t", connector_version="0")
    reasons = {item.error.reason for item in snapshot.items.values() if item.error is not None}
    assert Reason.BUDGET_EXHAUSTED in reasons
    assert any("budget" in note for note in snapshot.metadata.notes)
    assert recorder.api_calls <= 1 + 5 + 1  # first call, then at most the 5 allowed, plus discovery


@pytest.mark.anyio
async def test_platform_config_is_not_supported_and_backup_is_unknown_with_the_reason() -> None:
    queries: list[str] = []

    def record(text: str, path: str) -> httpx.Response | None:
        queries.append(text)
        return None

    recorder = await run(fake_org(record))
    assert item(recorder, "platform.config").error.reason is Reason.NOT_SUPPORTED
    backup = item(recorder, "backup.status").value
    assert backup["source"] == "unknown" and backup["configured"] is None
    assert backup["note"].startswith("Salesforce exposes no backup status through its API")
    assert not [text for text in queries if "__c" in text]  # no invented backup-log object is queried


@pytest.mark.anyio
async def test_backup_status_comes_from_the_facts_file(tmp_path: Path) -> None:
    facts = tmp_path / "facts.yaml"
    facts.write_text("version: 1\nbackup:\n  configured: true\n  retention_days: 35\n", encoding="utf-8")
    recorder = await run(fake_org(), facts=str(facts))
    backup = item(recorder, "backup.status").value
    assert (backup["configured"], backup["retention_days"], backup["source"]) == (True, 35, "facts_file")
    assert "note" not in backup


@pytest.mark.anyio
async def test_a_refused_supplementary_call_makes_the_key_an_error_not_nulls() -> None:
    """ConnectedApp metadata refused: integrations.connected_apps must say so, not hold apps with null policies."""
    fault = (
        b'<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">'
        b"<soapenv:Body><soapenv:Fault><faultcode>sf:INSUFFICIENT_ACCESS</faultcode><faultstring>no</faultstring>"
        b"</soapenv:Fault></soapenv:Body></soapenv:Envelope>"
    )
    app = {"attributes": {"type": "ConnectedApplication"}, "Id": "0H4A", "Name": "Sync", "CreatedDate": None,
           "OptionsAllowAdminApprovedUsersOnly": False, "RefreshTokenValidityPeriod": None}  # fmt: skip
    base = fake_org(lambda text, path: (
        httpx.Response(200, json={"totalSize": 1, "done": True, "records": [app]})
        if "FROM ConnectedApplication" in text else None
    ))  # fmt: skip

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.startswith("/services/Soap/") and b"ConnectedApp" in request.content:
            return httpx.Response(500, content=fault, headers={"Sforce-Limit-Info": "api-usage=100/100000"})
        return base(request)

    recorder = await run(handler)
    apps = item(recorder, "integrations.connected_apps")
    assert apps.error is not None and apps.error.reason is Reason.PERMISSION_DENIED


def _describe_contact(url: str) -> bool:
    return "/sobjects/Contact/describe" in url


def _field_definitions(url: str) -> bool:
    return "FieldDefinition" in unquote(url)


def _adoption_of_leads(url: str) -> bool:
    return "COUNT() FROM Lead" in unquote(url)


def _lead_sample(text: str, path: str) -> httpx.Response | None:
    failed = "FROM Lead ORDER BY Id" in text
    return httpx.Response(500, json=[{"errorCode": "UNKNOWN_EXCEPTION", "message": "x"}]) if failed else None


def _users_fail(text: str, path: str) -> httpx.Response | None:
    failed = "FROM User" in text
    return httpx.Response(503, json=[{"errorCode": "SERVER_UNAVAILABLE", "message": "x"}]) if failed else None


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("query", "failing", "keys"),
    [
        pytest.param(None, _describe_contact, ("schema.objects", "encryption.platform"), id="one-describe"),
        pytest.param(None, _field_definitions, ("schema.objects", "audit.settings"), id="field-definitions"),
        pytest.param(None, _adoption_of_leads, ("usage.activity",), id="one-adoption-count"),
        pytest.param(_lead_sample, lambda url: False, ("data.samples", "data.quality"), id="one-sampled-object"),
        pytest.param(_users_fail, lambda url: False, ("identity.profiles", "auth.mfa"), id="users"),
    ],
)
async def test_a_partial_failure_makes_the_key_an_error_not_nulls_or_omissions(
    query: Callable[[str, str], httpx.Response | None] | None, failing: Callable[[str], bool], keys: tuple[str, ...]
) -> None:
    """Fail closed: one failed describe, subquery or sampled object is an error for every key built from it.

    Before, the key was built from what answered: objects left out, history tracking and classifications
    null (CRM-PII-001 PASS became WARN, CRM-AUD-001 PASS became MANUAL), profiles with 0 users, MFA unknown.
    """
    recorder = await run(fake_org(query, failing=failing))
    for key in keys:
        error = item(recorder, key).error
        assert error is not None, f"{key} was recorded as a value"
        assert error.reason in (Reason.HTTP_ERROR, Reason.RATE_LIMITED), (key, error.reason)
    assert item(recorder, "integrations.oauth_tokens").error is None  # keys that did not need it are unaffected


@pytest.mark.anyio
async def test_an_adoption_count_without_total_size_is_malformed_not_unknown() -> None:
    base = fake_org()

    def handler(request: httpx.Request) -> httpx.Response:
        response = base(request)
        if not request.url.path.endswith("/composite"):
            return response
        document = json.loads(response.content)
        for answer in document["compositeResponse"]:
            if answer["referenceId"] == "Lead" and answer["body"].get("totalSize") == 0:
                answer["body"] = {"done": True, "records": []}  # no totalSize: the count is unknown
        return httpx.Response(200, json=document, headers=response.headers)

    recorder = await run(handler)
    error = item(recorder, "usage.activity").error
    assert error is not None and error.reason is Reason.MALFORMED_RESPONSE
