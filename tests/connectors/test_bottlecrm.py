"""The BottleCRM connector against a respx-mocked API shaped like django-crm 1.35.0's answers."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx

from crmsec.connectors import load_connector
from crmsec.connectors.base import Recorder
from crmsec.connectors.bottlecrm import BottleCrmConnector, directory
from crmsec.connectors.bottlecrm.facts import load_facts
from crmsec.connectors.bottlecrm.probes import KNOWN_DEFAULT_KEYS, Identity, forge_access_token
from crmsec.connectors.http import make_client
from crmsec.errors import InputError, Reason, TargetError
from crmsec.evidence import EvidenceSnapshot
from crmsec.redaction import Identities, mask_identity
from crmsec.target import Secret, Target
from crmsec.testing import contract_problems

BASE = "http://bottle.example.test"
ORG_ID = "1f4f3208-0dfb-4fc0-8965-444fe6532ce7"
ADMIN_ID = "990fedbc-f3b3-4d9c-863b-ba9ba885215a"
RESIDENT_ID = "11010119900307803X"
ORG_KEY = "5b0c4a1e-0000-4000-8000-00000000beef"
TOKEN = "bcrm_pat_canary-0123456789abcdefghijklmnopqrstuvw"  # a canary: must never reach evidence


def _profile(email: str, role: str, *, active: bool = True, last_login: str | None = "2026-11-20T08:00:00Z") -> dict:
    return {
        "id": f"profile-{email}",
        "user_details": {"email": email, "id": f"user-{email}", "name": email.split("@")[0], "is_active": True,
                         "last_login": last_login},
        "role": role, "is_active": active, "created_at": "2026-01-02T03:04:05.123456Z", "active_token_count": 1,
    }  # fmt: skip


USERS_BODY = {
    "active_users": {
        "active_users_count": 2,
        "active_users": [_profile("li.wei@example.com", "ADMIN") | {"user_details": {
            "email": "li.wei@example.com", "id": ADMIN_ID, "name": "li.wei", "is_active": True,
            "last_login": "2026-11-20T08:00:00.5Z"}}, _profile("sales.rep@example.com", "USER")],
        "offset": None,
    },
    "inactive_users": {"inactive_users_count": 1, "offset": 0,
                       "inactive_users": [_profile("gone@example.com", "USER", active=False)]},
    "admin_email": "admin@localhost",
}  # fmt: skip
TOKENS_BODY = {
    "error": False,
    "tokens": [{"id": "t1", "name": "legacy-sync", "token_prefix": "bcrm_pat_VCCD", "scopes": [], "expires_at": None,
                "last_used_at": None, "created_at": "2025-07-11T09:12:00.1Z", "revoked_at": None,
                "owner": {"id": "p1", "name": "li.wei", "role": "ADMIN", "is_active": True}, "is_live": True}],
    "totals": {"count": 1, "live": 1, "orphaned": 0, "unused_90d": 1},
}  # fmt: skip
CONTACTS_BODY = {
    "count": 3,
    "results": [
        {"id": "c1", "first_name": "Wei", "last_name": "Zhang", "email": "wei.zhang@example.com",
         "phone": "+86 138 0013 8000", "description": f"身份证号 {RESIDENT_ID}", "org": {"id": ORG_ID}},
        {"id": "c2", "first_name": "Jane", "last_name": "Doe", "email": "jane.doe@example.com",
         "phone": "+86 139 0013 9000", "description": f"ID {RESIDENT_ID}", "org": {"id": ORG_ID}},
        {"id": "c3", "first_name": "Ann", "last_name": "Lee", "email": "ann.lee@example.com",
         "phone": None, "description": None, "org": {"id": ORG_ID}},
    ],
}  # fmt: skip
OPENAPI_BODY = {
    "components": {
        "schemas": {
            "Contact": {"properties": {
                "email": {"nullable": True, "oneOf": [{"type": "string", "format": "email"}, {"type": "string"}]},
                "description": {"type": "string", "title": "Notes"},
                "org": {"$ref": "#/components/schemas/Organization"},
            }},
        }
    }
}  # fmt: skip
DEBUG_404 = b"<html><body>You're seeing this error because you have <code>DEBUG = True</code></body></html>"
ADMIN_FORM = b'<form><input name="csrfmiddlewaretoken"><input id="id_username"></form>'


def _signed_with(token: str, key: str) -> bool:
    signing_input, _, signature = token.rpartition(".")
    expected = hmac.new(key.encode(), signing_input.encode(), hashlib.sha256).digest()
    padded = signature + "=" * (-len(signature) % 4)
    return hmac.compare_digest(expected, base64.urlsafe_b64decode(padded))


def _org_settings(request: httpx.Request, *, weak_key: bool, org_key_auth: bool) -> httpx.Response:
    authorization = request.headers.get("authorization", "")
    known = {TOKEN, ORG_KEY} if org_key_auth else {TOKEN}
    if authorization == f"Bearer {TOKEN}" or request.headers.get("token") in known:
        return httpx.Response(200, json={"id": ORG_ID, "name": "Acme", "member_count": 3, "timezone": "UTC",
                                         "created_at": "2026-01-01T00:00:00.1Z"})  # fmt: skip
    forged = authorization.removeprefix("Bearer ")
    if weak_key and forged and _signed_with(forged, KNOWN_DEFAULT_KEYS[0]):
        return httpx.Response(200, json={"id": ORG_ID})
    return httpx.Response(403, json={"detail": "Organization context is required. Please login again."})


def _audit_page(request: httpx.Request) -> httpx.Response:
    offset = int(request.url.params.get("offset", "0"))
    events = ["PERMISSION_DENIED", "LOGIN_FAILURE"] if offset == 0 else ["ORG_SWITCH"]
    results = [{"event_type": event, "created_at": f"2026-11-2{index}T10:00:00.5+00:00"}
               for index, event in enumerate(events)]  # fmt: skip
    following = f"{BASE}/api/org/audit-log/?limit=100&offset=100" if offset == 0 else None
    return httpx.Response(200, json={"count": 3, "next": following, "previous": None, "results": results})


def mock_bottlecrm(
    router: respx.Router, *, weak_key: bool = False, careless: bool = False, org_key_auth: bool = False
) -> None:
    """Routes for one BottleCRM org; `careless` turns on DEBUG, CORS *, ALLOWED_HOSTS * and the admin form."""
    router.route(method="GET", path="/api/org/settings/").mock(
        side_effect=lambda r: _org_settings(r, weak_key=weak_key, org_key_auth=org_key_auth)
    )
    router.get(path="/api/org/api-key/").mock(return_value=httpx.Response(200, json={"api_key": ORG_KEY}))
    own_profile = {"user_obj": {"user_details": {"id": ADMIN_ID}}}
    router.get(path="/api/profile/").mock(return_value=httpx.Response(200, json=own_profile))
    router.route(method="OPTIONS", path="/api/org/settings/").mock(
        return_value=httpx.Response(200, headers={"access-control-allow-origin": "*"} if careless else {})
    )
    router.get(path="/api/users/").mock(return_value=httpx.Response(200, json=USERS_BODY))
    router.get(path="/api/org/tokens/").mock(return_value=httpx.Response(200, json=TOKENS_BODY))
    router.get(path="/api/org/audit-log/").mock(side_effect=_audit_page)
    router.get(path="/api/contacts/").mock(return_value=httpx.Response(200, json=CONTACTS_BODY))
    router.get(path="/api/leads/").mock(return_value=httpx.Response(200, json={"open_leads": {"open_leads": []},
                                                                          "totals": {"count": 0}}))  # fmt: skip
    router.get(path="/api/accounts/").mock(return_value=httpx.Response(200, json={
        "active_accounts": {"open_accounts": [], "open_accounts_count": 2},
        "closed_accounts": {"close_accounts_count": 1}}))  # fmt: skip
    no_deals = {"opportunities": [], "opportunities_count": 0}
    router.get(path="/api/opportunities/").mock(return_value=httpx.Response(200, json=no_deals))
    router.get(path="/schema/").mock(return_value=httpx.Response(200, json=OPENAPI_BODY))
    router.get(path="/").mock(return_value=httpx.Response(404, headers={"server": "gunicorn"}))
    router.get(path="/crmsec-probe-not-found/").mock(
        return_value=httpx.Response(404, content=DEBUG_404 if careless else b"nf")
    )
    router.get(path="/healthz/").mock(side_effect=lambda r: httpx.Response(
        200 if careless or r.headers["host"] == "bottle.example.test" else 400))  # fmt: skip
    router.get(path="/admin/login/").mock(return_value=httpx.Response(200, content=ADMIN_FORM) if careless
                                          else httpx.Response(404))  # fmt: skip


async def collect(
    options: dict[str, str] | None = None, *, secret: str = TOKEN, identities: Identities = Identities.MASKED
) -> EvidenceSnapshot:
    """Run the connector with the real client factory (respx intercepts the transport)."""
    target = Target(platform="bottlecrm", url=BASE, secret=Secret(secret), options=options or {})
    recorder = Recorder(clock=lambda: "2026-11-23T00:00:00Z", identities=identities)
    async with make_client(target) as client:
        await BottleCrmConnector().collect(target, client, recorder)
    return recorder.build(target, connector="BottleCrmConnector", connector_version="test")


def values(snapshot: EvidenceSnapshot) -> dict[str, Any]:
    return snapshot.values()


def test_registered_as_bottlecrm_platform() -> None:
    assert isinstance(load_connector("bottlecrm"), BottleCrmConnector)


@pytest.mark.anyio
async def test_careful_server_gives_normalised_evidence() -> None:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        mock_bottlecrm(router)
        snapshot = await collect({"auth": "jwt"})
    found = values(snapshot)
    assert found["org.info"]["id"] == ORG_ID and found["org.info"]["created_at"] == "2026-01-01T00:00:00Z"
    users = {user["username"]: user for user in found["identity.users"]}  # masked at the recorder: see below
    admin, rep = users[mask_identity("li.wei@example.com")], users[mask_identity("sales.rep@example.com")]
    assert admin["is_admin"] is True and admin["last_login_at"] == "2026-11-20T08:00:00Z"
    assert rep["is_admin"] is False and rep["permissions"] == []
    assert users[mask_identity("gone@example.com")]["active"] is False
    legacy, org_key = found["integrations.api_keys"]
    assert (legacy["name"], legacy["scopes"], legacy["expires_at"]) == ("legacy-sync", ["*"], None)
    assert org_key["kind"] == "org_api_key" and org_key["active"] is False
    assert found["platform.config"] == {
        "debug_mode": False, "secret_key_weak": False, "secret_key_source": "probe", "cors_allow_all_origins": False,
        "allowed_hosts_wildcard": False, "admin_interface_exposed": False, "admin_path": "/admin/login/",
        "server_banner": "gunicorn",
    }  # fmt: skip
    assert found["backup.status"]["source"] == "unknown" and found["backup.status"]["last_success_at"] is None
    assert found["encryption.platform"]["database_encrypted"] is None
    assert snapshot.items["auth.mfa"].error is not None
    assert snapshot.items["auth.mfa"].error.reason is Reason.NOT_SUPPORTED
    assert found["stability.api"]["requests"] == snapshot.metadata.api_calls


@pytest.mark.anyio
@pytest.mark.parametrize("identities", list(Identities))
async def test_usernames_and_token_owners_are_masked_unless_shown(identities: Identities) -> None:
    """The canary approach: member e-mails and the token owner's name appear raw only with `shown`."""
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        mock_bottlecrm(router)
        snapshot = await collect({"auth": "jwt"}, identities=identities)
    document = snapshot.to_bytes().decode()
    canaries = ("li.wei", "sales.rep@example.com", "gone@example.com")
    assert snapshot.metadata.identities is identities
    assert snapshot.to_json()["metadata"]["identities"] == str(identities)
    if identities is Identities.MASKED:
        assert [canary for canary in canaries if canary in document] == []
        assert values(snapshot)["integrations.api_keys"][0]["owner"] == mask_identity("li.wei")
    else:
        assert all(canary in document for canary in canaries)


@pytest.mark.anyio
async def test_careless_server_shows_every_misconfiguration() -> None:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        mock_bottlecrm(router, weak_key=True, careless=True)
        snapshot = await collect()
    config = values(snapshot)["platform.config"]
    assert config["debug_mode"] and config["secret_key_weak"] and config["cors_allow_all_origins"]
    assert config["allowed_hosts_wildcard"] and config["admin_interface_exposed"]


@pytest.mark.anyio
async def test_pii_samples_are_classified_and_masked() -> None:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        mock_bottlecrm(router)
        snapshot = await collect()
    samples = {(entry["object"], entry["field"]): entry for entry in values(snapshot)["data.samples"]}
    notes = samples[("contacts", "description")]
    assert notes["detections"] == {"cn_resident_id": 2} and (notes["sampled"], notes["non_empty"]) == (3, 2)
    assert "phone" in samples[("contacts", "phone")]["categories"]
    schema = {entry["name"]: entry for entry in values(snapshot)["schema.objects"]}
    assert schema["contacts"]["field_source"] == "openapi"
    assert {field["name"]: field["type"] for field in schema["contacts"]["fields"]}["email"] == "email"
    assert schema["accounts"]["record_count"] == 3
    serialized = json.dumps(snapshot.to_json(), ensure_ascii=False)
    for raw in (RESIDENT_ID, "wei.zhang@example.com", "+86 138 0013 8000", TOKEN, ORG_KEY):
        assert raw not in serialized


@pytest.mark.anyio
async def test_401_is_a_target_error() -> None:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        router.get(path="/api/org/settings/").mock(return_value=httpx.Response(401, json={"detail": "no"}))
        with pytest.raises(TargetError) as caught:
            await collect()
    assert caught.value.reason is Reason.AUTHENTICATION_FAILED


@pytest.mark.anyio
async def test_unknown_token_answered_with_403_is_a_target_error() -> None:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        mock_bottlecrm(router)
        with pytest.raises(TargetError) as caught:
            await collect(secret="bcrm_pat_unknown")
    assert caught.value.reason is Reason.AUTHENTICATION_FAILED
    assert "bcrm_pat_unknown" not in str(caught.value)


@pytest.mark.anyio
async def test_403_on_one_endpoint_is_a_permission_denied_evidence_error() -> None:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        mock_bottlecrm(router)
        router.get(path="/api/users/").mock(return_value=httpx.Response(403, json={"errors": "Permission Denied"}))
        router.get(path="/api/org/tokens/").mock(return_value=httpx.Response(403, json={"detail": "denied"}))
        snapshot = await collect()
    users, keys = snapshot.items["identity.users"], snapshot.items["integrations.api_keys"]
    assert users.error is not None and users.error.reason is Reason.PERMISSION_DENIED
    assert keys.error is not None and keys.error.reason is Reason.PERMISSION_DENIED and "auth=jwt" in keys.error.message
    assert snapshot.items["org.info"].error is None and snapshot.items["data.samples"].error is None
    assert values(snapshot)["platform.config"]["secret_key_weak"] is False


@pytest.mark.anyio
async def test_users_and_audit_log_are_paginated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(directory, "PAGE_SIZE", 1)
    offsets: list[str] = []

    def users_page(request: httpx.Request) -> httpx.Response:
        offset = int(request.url.params["offset"])
        offsets.append(f"{request.url.params['limit']}:{offset}")
        people = [_profile("a.one@example.com", "ADMIN"), _profile("b.two@example.com", "USER")]
        body = {"active_users": {"active_users_count": 2, "active_users": people[offset : offset + 1]},
                "inactive_users": {"inactive_users_count": 0, "inactive_users": []}}  # fmt: skip
        return httpx.Response(200, json=body)

    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        mock_bottlecrm(router)
        router.get(path="/api/users/").mock(side_effect=users_page)
        snapshot = await collect({"auth": "jwt"})
    assert [user["username"] for user in values(snapshot)["identity.users"]] == [
        mask_identity("a.one@example.com"),
        mask_identity("b.two@example.com"),
    ]
    assert offsets[:2] == ["1:0", "1:1"]
    audit = values(snapshot)["audit.settings"]["audit_log"]
    assert audit["events_read"] == 3 and audit["oldest_event_at"] == "2026-11-20T10:00:00Z"


@pytest.mark.anyio
async def test_org_api_key_goes_in_the_token_header() -> None:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        mock_bottlecrm(router)
        snapshot = await collect({"auth": "api_key"})
        sent = [call.request for call in router.calls if call.request.url.path == "/api/users/"]
    assert sent and sent[0].headers["token"] == TOKEN and "authorization" not in sent[0].headers
    assert values(snapshot)["integrations.api_keys"][-1]["active"] is True


@pytest.mark.anyio
async def test_org_key_sign_in_is_tested_without_recording_the_key() -> None:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        mock_bottlecrm(router, org_key_auth=True)
        snapshot = await collect({"auth": "jwt"})
    assert values(snapshot)["integrations.api_keys"][-1]["active"] is True
    assert ORG_KEY not in json.dumps(snapshot.to_json())


@pytest.mark.anyio
async def test_anonymous_probes_carry_no_credential() -> None:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        mock_bottlecrm(router)
        await collect()
        anonymous = [
            call.request for call in router.calls if call.request.url.path in ("/", "/admin/login/", "/healthz/")
        ]
    assert anonymous and all(TOKEN not in str(request.headers) for request in anonymous)


@pytest.mark.anyio
async def test_facts_file_fills_backup_and_encryption_and_can_skip_the_key_probe(tmp_path: Path) -> None:
    facts = tmp_path / "facts.yaml"
    facts.write_text(
        "version: 1\ndatabase: {encrypted_at_rest: true, provider: LUKS, customer_managed_key: false}\n"
        "backup: {configured: true, last_success_at: 2026-11-22T02:13:00Z, retention_days: 35,\n"
        "         last_restore_test_at: 2026-10-01}\naudit_log: {retention_days: 365}\nsecret_key: {weak: true}\n",
        encoding="utf-8",
    )
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        mock_bottlecrm(router)
        snapshot = await collect({"auth": "jwt", "facts": str(facts), "secret_key_probe": "off"})
    found = values(snapshot)
    assert found["backup.status"] == {
        "configured": True, "schedule": None, "last_success_at": "2026-11-22T02:13:00Z", "retention_days": 35,
        "last_restore_test_at": "2026-10-01T00:00:00Z", "encrypted": None, "source": "facts_file",
    }  # fmt: skip
    assert found["encryption.platform"]["database_encrypted"] is True
    assert found["audit.settings"]["audit_log"]["retention_days"] == 365
    assert (found["platform.config"]["secret_key_weak"], found["platform.config"]["secret_key_source"]) == (
        True, "facts_file")  # fmt: skip
    assert not any(call.request.headers.get("authorization", "").startswith("Bearer ey") for call in router.calls)


@pytest.mark.parametrize(
    "text",
    ["backup: {retention_days: yes}\n", "surprise: {}\n", "backup: {last_success_at: soon}\n", "version: 2\n", "- 1\n"],
)
def test_invalid_facts_file_is_an_input_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "facts.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError):
        load_facts(path)


@pytest.mark.anyio
async def test_bad_options_are_input_errors() -> None:
    for options in ({"auth": "password"}, {"sample_size": "lots"}, {"secret_key_probe": "maybe"}):
        with pytest.raises(InputError):
            await collect(options)


def test_forged_token_has_simplejwt_claims() -> None:
    token = forge_access_token(Identity(user_id=ADMIN_ID, org_id=ORG_ID), "k", now=1_000_000.0)
    claims = json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))
    assert claims["token_type"] == "access" and claims["user_id"] == ADMIN_ID and claims["org_id"] == ORG_ID
    assert claims["exp"] - claims["iat"] == 120 and _signed_with(token, "k") and not _signed_with(token, "other")


@pytest.mark.anyio
async def test_only_requested_keys_are_collected() -> None:
    target = Target(platform="bottlecrm", url=BASE, secret=Secret(TOKEN), options={"auth": "jwt"})
    recorder = Recorder(requested=["org.info", "platform.config"])
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        mock_bottlecrm(router)
        async with make_client(target) as client:
            await BottleCrmConnector().collect(target, client, recorder)
        paths = {call.request.url.path for call in router.calls}
    assert recorder.keys == ["org.info", "platform.config"]
    assert (
        recorder.build(target, connector="c", connector_version="v").values()["platform.config"]["secret_key_weak"]
        is False
    )
    assert not paths & {"/api/org/tokens/", "/api/org/audit-log/", "/api/contacts/", "/schema/"}


@pytest.mark.anyio
async def test_emits_exactly_the_declared_keys_each_of_its_catalogued_shape() -> None:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        mock_bottlecrm(router)
        snapshot = await collect({"auth": "jwt"})
    assert contract_problems(BottleCrmConnector(), snapshot) == []
