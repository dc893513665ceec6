"""The Tryton connector against a respx-mocked JSON-RPC server shaped like trytond 8.2's answers."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx

from crmsec.connectors import load_connector
from crmsec.connectors.base import Recorder
from crmsec.connectors.http import make_client
from crmsec.connectors.tryton import TrytonConnector, directory, server
from crmsec.errors import InputError, Reason, TargetError
from crmsec.evidence import EvidenceSnapshot
from crmsec.redaction import mask_identity
from crmsec.target import Secret, Target
from crmsec.testing import contract_problems

BASE = "http://tryton.example.test"
PASSWORD = "canary-Tryton-password-0123456789"  # a canary: must never reach evidence
SESSION_KEY = "canary-session-key-abcdef0123456789"
DATABASE = "crm"
PARTY_ADMIN, SALES = 2, 13


def _when(year: int, month: int, day: int) -> dict[str, Any]:
    return {"__class__": "datetime", "year": year, "month": month, "day": day, "hour": 8, "minute": 0, "second": 0,
            "microsecond": 0}  # fmt: skip


USERS = [
    {"id": 0, "login": "root", "name": "Root", "active": 0, "administrator": 1, "groups": [], "sessions": 0,
     "create_date": _when(2026, 1, 1)},
    {"id": 1, "login": "admin", "name": "Administrator", "active": 1, "administrator": 1, "groups": [], "sessions": 2,
     "create_date": _when(2026, 1, 1)},
    {"id": 2, "login": "li.wei@example.com", "name": "Li Wei", "active": 1, "administrator": 0, "groups": [SALES],
     "sessions": 0, "create_date": _when(2026, 2, 1)},
    {"id": 3, "login": "gone@example.com", "name": "Gone", "active": 0, "administrator": 0, "groups": [SALES],
     "sessions": 0, "create_date": _when(2025, 2, 1)},
]  # fmt: skip
GROUPS = [{"id": PARTY_ADMIN, "name": "Party Administration", "users": []},
          {"id": SALES, "name": "Sales", "users": [2, 3]}]  # fmt: skip


def _access(model: str, group: int | None, read: bool, write: bool) -> dict[str, Any]:
    return {"model": model, "group": group, "perm_read": int(read), "perm_write": int(write),
            "perm_create": int(write), "perm_delete": int(write)}  # fmt: skip


ACCESS = [
    _access("res.user", None, True, False),
    _access("res.group", None, True, False),
    _access("ir.model", None, True, False),
    _access("ir.rule.group", None, True, False),
    _access("sale.opportunity", None, False, False),
    _access("sale.opportunity", SALES, True, True),
    _access("sale.sale", None, False, False),
    _access("sale.sale", SALES, True, True),
]
RULES = [{"model": "sale.opportunity", "name": "Own opportunities", "global_p": 0, "default_p": 0, "groups": [SALES],
          "perm_read": 1, "perm_write": 1, "perm_create": 0, "perm_delete": 0}]  # fmt: skip
PARTIES = [{"id": 1, "name": "Zhang Wei", "code": "C1"}, {"id": 2, "name": "Maria Rossi", "code": "C2"}]
MECHANISMS: list[dict[str, Any]] = [
    {"id": 1, "email": "zhang.wei@example.com", "other_value": None, "name": None, "comment": None},
    {"id": 2, "email": "maria.rossi@example.com", "other_value": None, "name": None, "comment": None},
    {"id": 3, "email": None, "other_value": "+44 20 7946 0958", "name": None, "comment": None},
]
Handler = Callable[[str, list[Any]], Any]


def _model_answer(method: str, params: list[Any]) -> Any:
    """The default answers of the mocked server's model methods."""
    model, _, call = method.removeprefix("model.").rpartition(".")
    tables: dict[str, list[dict[str, Any]]] = {
        "res.user": USERS, "res.group": GROUPS, "ir.model.access": ACCESS, "ir.rule.group": RULES,
        "party.party": PARTIES, "party.contact_mechanism": MECHANISMS,
        "res.user.application": [{"id": 7, "user": 1, "application": "rest", "state": "validated",
                                  "create_date": _when(2026, 3, 1)}],
        "ir.model.field": [{"model": "party.party", "name": "name", "string": "Name", "ttype": "char"}],
        "ir.model.log": [{"id": 9, "create_date": _when(2026, 11, 20), "event": "write", "resource": "res.user,2",
                          "user": 1}],
    }  # fmt: skip
    rows = tables.get(model, [])
    if call == "search_count":
        return len(rows)
    offset, limit = params[1], params[2]
    return [dict(row, id=row.get("id", index)) for index, row in enumerate(rows)][offset : offset + (limit or 10**6)]


class FakeTryton:
    """A respx side effect answering JSON-RPC like trytond; `overrides` replace single methods."""

    def __init__(self, overrides: dict[str, Handler] | None = None, *, login: httpx.Response | None = None) -> None:
        self.overrides = overrides or {}
        self.login = login
        self.methods: list[str] = []
        self.headers: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        method, params = body["method"], body["params"]
        self.methods.append(method)
        self.headers.append(request.headers.get("authorization", ""))
        if method == "common.db.login":
            if self.login is not None:
                return self.login
            assert params[1] == {"password": PASSWORD}
            return httpx.Response(200, json={"id": body["id"], "result": [1, SESSION_KEY, None]})
        if method in self.overrides:
            return _answer(body["id"], self.overrides[method](method, params))
        if method == "common.db.logout":
            return httpx.Response(200, json={"id": body["id"], "result": None})
        if method.startswith("model.crmsec."):
            return httpx.Response(200, json={"id": body["id"], "error": ["'crmsec.probe.missing'", ""]})
        return httpx.Response(200, json={"id": body["id"], "result": _model_answer(method, params)})


def _answer(identifier: int, value: Any) -> httpx.Response:
    if isinstance(value, httpx.Response):
        return value
    # json.dumps escapes lone surrogates as \udc80, as trytond's encoder does; httpx's json= cannot encode them.
    return httpx.Response(200, content=json.dumps({"id": identifier, **value}).encode("ascii"))


def mock_server(
    router: respx.MockRouter, fake: FakeTryton, *, listing: int = 403, preflight: httpx.Response | None = None
) -> None:
    router.post(path=f"/{DATABASE}/rpc/").mock(side_effect=fake)
    anonymous = {"common.server.version": httpx.Response(200, json={"id": 0, "result": "8.2"}),
                 "common.db.list": httpx.Response(listing, json={"id": 0, "result": [DATABASE]})}  # fmt: skip
    router.post(path="/rpc/").mock(side_effect=lambda request: anonymous[json.loads(request.content)["method"]])
    router.get(path="/").mock(return_value=httpx.Response(405, headers={"Server": "Werkzeug/3.1.9 Python/3.11.7"}))
    router.route(method="OPTIONS", path=f"/{DATABASE}/rpc/").mock(return_value=preflight or httpx.Response(403))


async def collect(options: dict[str, str] | None = None) -> EvidenceSnapshot:
    """Run the connector with the real client factory (respx intercepts the transport)."""
    target = Target(platform="tryton", url=BASE, secret=Secret(PASSWORD),
                    options={"database": DATABASE, "user": "admin", **(options or {})})  # fmt: skip
    recorder = Recorder(clock=lambda: "2026-12-01T00:00:00Z")
    async with make_client(target) as client:
        await TrytonConnector().collect(target, client, recorder)
    return recorder.build(target, connector="TrytonConnector", connector_version="test")


def test_registered_as_tryton_platform() -> None:
    assert isinstance(load_connector("tryton"), TrytonConnector)


@pytest.mark.anyio
async def test_collects_users_profiles_and_access_through_json_rpc() -> None:
    fake = FakeTryton()
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        mock_server(router, fake)
        snapshot = await collect()
    values = snapshot.values()
    users = {user["username"]: user for user in values["identity.users"]}
    admin, seller, gone = (users[mask_identity(login)] for login in ("admin", "li.wei@example.com", "gone@example.com"))
    assert "root" not in json.dumps(values["identity.users"])
    assert (admin["is_admin"], admin["profile"], admin["active_sessions"]) == (True, "Administrator", 2)
    assert (seller["is_admin"], seller["profile"], seller["permission_sets"]) == (False, "Sales", ["Sales"])
    assert gone["active"] is False
    assert "modify_all_data" not in seller["permissions"]  # the opportunity rule narrows the Sales group
    assert values["access.org_defaults"] == {
        "party.party": "public_full", "party.address": "public_full", "party.contact_mechanism": "public_full",
        "party.identifier": "public_full", "sale.opportunity": "private", "sale.sale": "private",
    }  # fmt: skip
    sales_rows = {row["object"]: row for row in values["access.object_permissions"] if row["profile"] == "Sales"}
    assert (sales_rows["sale.opportunity"]["edit"], sales_rows["sale.opportunity"]["modify_all"]) == (True, False)
    assert sales_rows["sale.sale"]["modify_all"] is True
    assert [key["active"] for key in values["integrations.api_keys"]] == [True]
    assert values["audit.settings"]["audit_log"]["enabled"] is True
    assert fake.methods[0] == "common.db.login" and fake.methods[-1] == "common.db.logout"


@pytest.mark.anyio
async def test_the_session_header_carries_the_login_user_id_and_key_and_no_secret_reaches_evidence() -> None:
    fake = FakeTryton()
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        mock_server(router, fake)
        snapshot = await collect()
    expected = "Session " + base64.b64encode(f"admin:1:{SESSION_KEY}".encode()).decode()
    assert fake.headers[0] == "" and set(fake.headers[1:]) == {expected}
    dumped = json.dumps(snapshot.to_json())
    assert PASSWORD not in dumped and SESSION_KEY not in dumped
    assert "zhang.wei@example.com" not in dumped and "7946 0958" not in dumped


@pytest.mark.anyio
async def test_contact_data_is_classified_and_masked() -> None:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        mock_server(router, FakeTryton())
        snapshot = await collect()
    samples = {(entry["object"], entry["field"]): entry for entry in snapshot.values()["data.samples"]}
    email, phone = samples[("party.contact_mechanism", "email")], samples[("party.contact_mechanism", "other_value")]
    assert "email" in email["categories"] and "phone" in phone["categories"]
    examples = [*email["masked_examples"], *phone["masked_examples"]]
    assert len(examples) == 3 and all("*" in example for example in examples)


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("login", "reason"),
    [
        (httpx.Response(401), Reason.AUTHENTICATION_FAILED),
        (httpx.Response(429), Reason.RATE_LIMITED),
        (httpx.Response(404), Reason.AUTHENTICATION_FAILED),
        (httpx.Response(200, json={"id": 1, "error": ["LoginException", ["sms_code", "Code", "char"]]}),
         Reason.AUTHENTICATION_FAILED),
        (httpx.Response(200, json={"id": 1, "result": False}), Reason.AUTHENTICATION_FAILED),
    ],
)  # fmt: skip
async def test_a_refused_login_is_a_target_error(login: httpx.Response, reason: Reason) -> None:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        mock_server(router, FakeTryton(login=login))
        with pytest.raises(TargetError) as raised:
            await collect()
    assert raised.value.reason is reason
    assert PASSWORD not in str(raised.value)


@pytest.mark.anyio
async def test_a_refused_directory_read_fails_every_key_built_from_it() -> None:
    refused: Handler = lambda method, params: {"error": ["UserError", ["secret row data", "", None]]}  # noqa: E731
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        mock_server(router, FakeTryton({"model.ir.rule.group.search_read": refused}))
        snapshot = await collect()
    for key in directory_keys():
        item = snapshot.items[key]
        assert item.error is not None and item.error.reason is Reason.PERMISSION_DENIED, key
        assert "secret row data" not in item.error.message
    assert snapshot.items["integrations.api_keys"].error is not None


def directory_keys() -> tuple[str, ...]:
    return ("identity.users", "identity.profiles", "access.object_permissions", "access.org_defaults")


@pytest.mark.anyio
async def test_a_malformed_page_fails_the_samples_instead_of_shortening_them() -> None:
    broken: Handler = lambda method, params: {"result": {"not": "a list"}}  # noqa: E731
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        mock_server(router, FakeTryton({"model.party.address.search_read": broken}))
        snapshot = await collect()
    for key in ("schema.objects", "data.samples"):
        error = snapshot.items[key].error
        assert error is not None and error.reason is Reason.MALFORMED_RESPONSE


@pytest.mark.anyio
async def test_a_server_error_answer_is_an_http_error_not_a_value() -> None:
    crashed: Handler = lambda method, params: {"error": ["'ir.model.log'", ""]}  # noqa: E731
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        mock_server(router, FakeTryton({"model.ir.model.log.search_count": crashed}))
        snapshot = await collect()
    error = snapshot.items["audit.settings"].error
    assert error is not None and error.reason is Reason.HTTP_ERROR


@pytest.mark.anyio
async def test_a_traceback_in_an_error_answer_means_development_mode() -> None:
    traceback: Handler = lambda method, params: {  # noqa: E731
        "error": ["'crmsec.probe.missing'", "Traceback (most recent call last):\n  File ..."]
    }
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        mock_server(router, FakeTryton({"model.crmsec.probe.missing.search_count": traceback}), listing=200)
        snapshot = await collect()
    config = snapshot.values()["platform.config"]
    assert (config["debug_mode"], config["database_list_exposed"]) == (True, True)
    assert config["server_banner"] == "Werkzeug/3.1.9 Python/3.11.7"


@pytest.mark.anyio
async def test_without_a_config_file_the_server_settings_are_unknown() -> None:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        mock_server(router, FakeTryton())
        snapshot = await collect()
    values = snapshot.values()
    assert values["auth.password_policy"]["min_length"] is None
    assert values["auth.password_policy"]["source"] == "unknown"
    assert values["auth.session_settings"]["idle_timeout_minutes"] is None
    assert values["auth.mfa"]["enforced_for_all"] is None
    assert values["auth.session_settings"]["csrf_protection"] is True  # the foreign origin got 403


@pytest.mark.anyio
async def test_a_config_file_gives_the_password_session_and_mfa_settings(tmp_path: Path) -> None:
    config = tmp_path / "trytond.conf"
    config.write_text(
        "[database]\nuri = postgresql://crm:db-secret@localhost/\n[password]\nlength = 14\nforbidden = /etc/words\n"
        "[session]\ntimeout = 900\nmax_attempt = 4\nauthentications = password+totp\n",
        encoding="utf-8",
    )
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        mock_server(router, FakeTryton())
        snapshot = await collect({"config": str(config)})
    values = snapshot.values()
    policy = values["auth.password_policy"]
    assert (policy["min_length"], policy["max_login_attempts"], policy["lockout_minutes"]) == (14, 5, 15)
    assert (policy["forbidden_list"], policy["source"]) == (True, "config_file")
    assert values["auth.session_settings"]["idle_timeout_minutes"] == 15
    assert values["auth.session_settings"]["absolute_timeout_minutes"] == 43200  # trytond's default max_age
    assert values["auth.mfa"]["enforced_for_all"] is True
    assert "db-secret" not in json.dumps(snapshot.to_json())


def _config(tmp_path: Path, text: str) -> server.ServerConfig:
    path = tmp_path / "trytond.conf"
    path.write_text(text, encoding="utf-8")
    return server.load_config(path)


@pytest.mark.parametrize(
    ("session", "enforced"),
    [
        ("authentications = password+sms", True),
        ("authentications = password+totp,password", False),
        ("authentications = password+sms?device_cookie", False),
        ("authentications = password+sms?ip_address\nauthentication_ip_network = 127.0.0.1/32,10.1.2.0/24", True),
        ("authentications = password+sms?ip_address\nauthentication_ip_network = 10.0.0.0/8", False),
        ("authentications = password+sms?ip_address\nauthentication_ip_network = 2001:db8::/48", False),
        ("authentications = password", False),
    ],
)
def test_mfa_counts_only_second_factors_that_cannot_be_skipped_widely(
    tmp_path: Path, session: str, enforced: bool
) -> None:
    value = server.mfa(_config(tmp_path, f"[session]\n{session}\n"))
    assert value["enforced_for_all"] is enforced


def test_an_exempt_network_that_is_no_network_is_an_input_error(tmp_path: Path) -> None:
    config = _config(
        tmp_path, "[session]\nauthentications = password+sms?ip_address\nauthentication_ip_network = lan\n"
    )
    with pytest.raises(InputError, match="authentication_ip_network"):
        server.mfa(config)


def test_defaults_of_trytond_apply_to_settings_the_file_leaves_out(tmp_path: Path) -> None:
    policy = server.password_policy(_config(tmp_path, "[web]\nlisten = 127.0.0.1:8000\n"))
    assert (policy["min_length"], policy["max_login_attempts"], policy["lockout_minutes"]) == (8, 6, 5)


@pytest.mark.parametrize("text", ["[password]\nlength = eight\n", "not an ini file\n"])
def test_an_unusable_config_file_is_an_input_error_naming_it(tmp_path: Path, text: str) -> None:
    with pytest.raises(InputError, match=r"trytond\.conf"):
        server.password_policy(_config(tmp_path, text))


@pytest.mark.parametrize(
    ("options", "secret", "message"),
    [({"user": "admin"}, PASSWORD, "database"), ({"database": DATABASE}, PASSWORD, "login"),
     ({"database": DATABASE, "user": "admin"}, None, "password")],
)  # fmt: skip
def test_missing_database_login_or_password_is_an_input_error(
    options: dict[str, str], secret: str | None, message: str
) -> None:
    from crmsec.connectors.tryton.rpc import credentials_of

    target = Target(platform="tryton", url=BASE, secret=Secret(secret) if secret else None, options=options)
    with pytest.raises(InputError, match=message):
        credentials_of(target)


def test_the_credentials_file_can_hold_username_and_password() -> None:
    from crmsec.connectors.tryton.rpc import credentials_of

    target = Target(platform="tryton", url=BASE, options={"database": DATABASE},
                    credentials={"username": Secret("admin"), "password": Secret(PASSWORD)})  # fmt: skip
    credentials = credentials_of(target)
    assert (credentials.login, credentials.password.reveal()) == ("admin", PASSWORD)


def _directory(access: list[dict[str, Any]], rules: list[dict[str, Any]] | None = None) -> directory.Directory:
    return directory.Directory(users=[], groups=[], access=access, rules=rules or [])


def test_a_model_without_matching_rows_is_open_as_in_trytond() -> None:
    only_sales = _directory([_access("sale.sale", SALES, True, True)])
    assert directory.rights(only_sales, [], "sale.sale") == dict.fromkeys(directory.MODES, True)
    closed = _directory([_access("sale.sale", None, False, False), _access("sale.sale", SALES, True, True)])
    assert directory.rights(closed, [], "sale.sale")["read"] is False
    assert directory.rights(closed, [SALES], "sale.sale")["write"] is True


def test_addresses_take_their_access_and_rules_from_the_party() -> None:
    party_rule = {"model": "party.party", "global_p": 1, "default_p": 0, "groups": [], "perm_read": 1,
                  "perm_write": 0}  # fmt: skip
    found = _directory([_access("party.party", None, True, False)], [party_rule])
    assert directory.rights(found, [], "party.address") == {"read": True, "write": False, "create": False,
                                                            "delete": False}  # fmt: skip
    assert directory.restricted(found, [], "party.address", "read") is True
    assert directory.restricted(found, [], "party.address", "write") is False


@pytest.mark.anyio
async def test_a_session_that_expires_mid_collection_fails_the_keys_read_after_it() -> None:
    expired: Handler = lambda method, params: httpx.Response(401)  # noqa: E731
    fake = FakeTryton({"model.res.user.application.search_read": expired, "model.ir.model.log.search_count": expired})
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        mock_server(router, fake)
        snapshot = await collect()
    for key in ("integrations.api_keys", "audit.settings"):
        error = snapshot.items[key].error
        assert error is not None and error.reason is Reason.AUTHENTICATION_FAILED, key
    assert snapshot.items["identity.users"].error is None  # read before the session expired
    assert fake.methods[-1] == "common.db.logout"


@pytest.mark.anyio
async def test_a_method_the_server_does_not_expose_is_permission_denied() -> None:
    forbidden: Handler = lambda method, params: httpx.Response(403)  # noqa: E731
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        mock_server(router, FakeTryton({"model.res.user.application.search_read": forbidden}))
        snapshot = await collect()
    error = snapshot.items["integrations.api_keys"].error
    assert error is not None and error.reason is Reason.PERMISSION_DENIED
    assert "res.user.application" in error.message


@pytest.mark.anyio
async def test_a_preflight_refused_with_trytonds_500_reads_as_refused() -> None:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        mock_server(router, FakeTryton(), preflight=httpx.Response(500))
        snapshot = await collect()
    assert snapshot.values()["platform.config"]["cors_allow_all_origins"] is False
    assert snapshot.values()["auth.session_settings"]["csrf_protection"] is True


@pytest.mark.anyio
async def test_an_allowed_foreign_origin_is_seen() -> None:
    allowed = httpx.Response(204, headers={"Access-Control-Allow-Origin": "https://crmsec-probe.invalid"})
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        mock_server(router, FakeTryton(), preflight=allowed)
        snapshot = await collect()
    assert snapshot.values()["platform.config"]["cors_allow_all_origins"] is True
    assert snapshot.values()["auth.session_settings"]["csrf_protection"] is False


@pytest.mark.anyio
@pytest.mark.parametrize("status", [429, 503])
async def test_a_database_list_probe_without_a_real_answer_fails_platform_config(status: int) -> None:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        mock_server(router, FakeTryton(), listing=status)
        router.post(path="/rpc/").mock(side_effect=lambda request: httpx.Response(
            200, json={"id": 0, "result": "8.2"}) if b"common.server.version" in request.content
            else httpx.Response(status, headers={"Retry-After": "0"}))  # fmt: skip
        snapshot = await collect()
    for key in ("platform.config", "auth.session_settings"):
        error = snapshot.items[key].error
        assert error is not None, key
    assert snapshot.items["http.probe"].error is None


@pytest.mark.anyio
async def test_a_development_mode_probe_without_an_error_answer_fails_platform_config() -> None:
    odd: Handler = lambda method, params: {"result": 0}  # noqa: E731
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        mock_server(router, FakeTryton({"model.crmsec.probe.missing.search_count": odd}))
        snapshot = await collect()
    error = snapshot.items["platform.config"].error
    assert error is not None and error.reason is Reason.MALFORMED_RESPONSE
    assert snapshot.items["auth.session_settings"].error is None


@pytest.mark.anyio
async def test_with_the_sms_module_a_mobile_number_means_registered_and_is_never_kept() -> None:
    def users(method: str, params: list[Any]) -> dict[str, Any]:
        if params[4] == ["mobile"]:
            return {"result": [{"id": 1, "mobile": "+86 138 0013 8000"}, {"id": 2, "mobile": None}]}
        return {"result": _model_answer(method, params)}

    modules: Handler = lambda method, params: {"result": [{"id": 1, "name": "authentication_sms"}]}  # noqa: E731
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        mock_server(router, FakeTryton({"model.res.user.search_read": users, "model.ir.module.search_read": modules}))
        snapshot = await collect()
    registered = {user["username"]: user["mfa_registered"] for user in snapshot.values()["identity.users"]}
    assert registered[mask_identity("admin")] is True
    assert registered[mask_identity("li.wei@example.com")] is False
    assert "0013 8000" not in json.dumps(snapshot.to_json())
    assert snapshot.values()["raw.tryton.access"]["activated_modules"] == ["authentication_sms"]


@pytest.mark.anyio
async def test_without_the_sms_module_registration_is_unknown() -> None:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        mock_server(router, FakeTryton())
        snapshot = await collect()
    assert {user["mfa_registered"] for user in snapshot.values()["identity.users"]} == {None}


def test_the_cli_scans_with_a_credentials_file_and_survives_a_hostile_user_name(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from crmsec.cli import main

    hostile: Handler = lambda method, params: {  # noqa: E731
        "result": [dict(row, name="\udc80rep") for row in _model_answer(method, params)]
    }
    credentials = tmp_path / "tryton.credentials"
    credentials.write_text(f"username=admin\npassword={PASSWORD}\n", encoding="utf-8")
    credentials.chmod(0o600)
    out = tmp_path / "out"
    loopback = "http://127.0.0.1:8099"
    arguments = ["scan", "--platform", "tryton", "--url", loopback, "--allow-insecure-http", "--credentials-file",
                 str(credentials), "--option", f"database={DATABASE}", "--out", str(out), "--format", "md"]  # fmt: skip
    with respx.mock(base_url=loopback, assert_all_called=False) as router:
        mock_server(router, FakeTryton({"model.res.user.search_read": hostile}))
        with pytest.raises(SystemExit) as exited:
            main(arguments)
    captured = capsys.readouterr()
    assert exited.value.code in (0, 1), captured.err
    evidence = json.loads((out / "evidence.json").read_text(encoding="utf-8"))
    names = [user["name"] for user in evidence["items"]["identity.users"]["value"]]
    assert all(name is None or "\udc80" not in name for name in names), names
    for written in [*out.rglob("*"), captured.out, captured.err]:
        text = written.read_text(errors="replace") if isinstance(written, Path) and written.is_file() else str(written)
        assert PASSWORD not in text and SESSION_KEY not in text


@pytest.mark.anyio
async def test_emits_exactly_the_declared_keys_each_of_its_catalogued_shape() -> None:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        mock_server(router, FakeTryton())
        snapshot = await collect()
    assert contract_problems(TrytonConnector(), snapshot) == []
