"""The web connector: header and cookie parsing under respx, and one scan over loopback HTTPS."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
import respx
from tls_servers import SERVER_BANNER, make_authority, serve_https

from crmsec.connectors import load_connector
from crmsec.connectors.base import Recorder
from crmsec.connectors.http import HttpResponse, make_client
from crmsec.connectors.sites import registrable_domain
from crmsec.connectors.web import (
    INVISIBLE_KEYS,
    PROBE_ORIGIN,
    WebConnector,
    parse_hsts,
    parse_set_cookie,
    probe_value,
)
from crmsec.errors import InputError, Reason
from crmsec.evidence import EvidenceSnapshot
from crmsec.plugin import Status
from crmsec.target import Target
from crmsec.testing import contract_problems, run_check

URL = "https://crm.example.test"
HTTP_KEYS = ("http.probe", "platform.config", "stability.api")  # tls.scan left out: respx cannot answer a TLS scan


class _Sleeps:
    """A sleeper that records the waits instead of sleeping."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


async def _collect(target: Target, *, keys: tuple[str, ...] = HTTP_KEYS, sleeper: _Sleeps | None = None) -> Recorder:
    recorder = Recorder(requested=keys)
    async with make_client(target) as client:
        await WebConnector(sleeper=sleeper or _Sleeps()).collect(target, client, recorder)
    return recorder


def _values(recorder: Recorder) -> dict[str, object]:
    snapshot = recorder.build(Target("web", URL), connector="web", connector_version="test")
    return snapshot.values()


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        (
            "max-age=31536000; includeSubDomains; preload",
            {"max_age": 31536000, "include_subdomains": True, "preload": True},
        ),
        ('max-age="600"', {"max_age": 600, "include_subdomains": False, "preload": False}),
        ("MAX-AGE=10;INCLUDESUBDOMAINS", {"max_age": 10, "include_subdomains": True, "preload": False}),
        ("includeSubDomains", {"max_age": None, "include_subdomains": True, "preload": False}),
        ("max-age=-5", {"max_age": None, "include_subdomains": False, "preload": False}),
    ],
)
def test_parse_hsts(header: str | None, expected: dict[str, object] | None) -> None:
    assert parse_hsts(header) == expected


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("a=b", ("a", False, False, None)),
        ("sid=x; Secure; HttpOnly; SameSite=Strict; Path=/", ("sid", True, True, "strict")),
        ("pref=; samesite=None; secure", ("pref", True, False, "none")),
        ("t=1; Expires=Wed, 21 Oct 2026 07:28:00 GMT; SameSite", ("t", False, False, None)),
        (" spaced = v ;HTTPONLY", ("spaced", False, True, None)),
    ],
)
def test_parse_set_cookie(header: str, expected: tuple[str, bool, bool, str | None]) -> None:
    cookie = parse_set_cookie(header)
    assert cookie is not None
    assert (cookie["name"], cookie["secure"], cookie["http_only"], cookie["same_site"]) == expected


@pytest.mark.parametrize("header", ["novalue", "=b", ""])
def test_set_cookie_without_a_name_is_skipped(header: str) -> None:
    assert parse_set_cookie(header) is None


@pytest.mark.anyio
async def test_probe_records_headers_cookies_and_hsts_but_no_values() -> None:
    headers = [
        ("Strict-Transport-Security", "max-age=600"),
        ("Strict-Transport-Security", "max-age=63072000; includeSubDomains"),
        ("Content-Security-Policy", "default-src 'self'"),
        ("X-Frame-Options", "DENY"),
        ("Set-Cookie", "sessionid=s3cr3t-session; Secure; HttpOnly; SameSite=Lax"),
        ("Set-Cookie", "csrftoken=t0ken-value; Secure; SameSite=Strict"),
        ("X-Request-Id", "req-12345"),
        ("Server", "nginx"),
    ]
    with respx.mock(assert_all_called=False) as routes:
        root = routes.get(f"{URL}/").mock(return_value=httpx.Response(200, headers=headers, text="ok"))
        routes.get(path__regex=r"^/(admin|administrator)/$").mock(return_value=httpx.Response(404))
        routes.get(path="/crmsec-probe-not-found").mock(return_value=httpx.Response(404, text="nope"))
        recorder = await _collect(Target("web", URL))
    assert root.calls.last.request.headers["origin"] == PROBE_ORIGIN
    probe = _values(recorder)["http.probe"]
    assert probe == {
        "url": f"{URL}/",
        "status": 200,
        "describes_target": True,
        "headers": {
            "strict-transport-security": "max-age=600, max-age=63072000; includeSubDomains",
            "content-security-policy": "default-src 'self'",
            "x-frame-options": "DENY",
            "server": "nginx",
            "content-type": "text/plain; charset=utf-8",
        },
        "cookies": [
            {"name": "sessionid", "secure": True, "http_only": True, "same_site": "lax"},
            {"name": "csrftoken", "secure": True, "http_only": False, "same_site": "strict"},
        ],
        "hsts": {"max_age": 600, "include_subdomains": False, "preload": False},  # only the first header counts
    }
    dumped = json.dumps(_values(recorder))
    assert "s3cr3t" not in dumped and "t0ken" not in dumped and "req-12345" not in dumped


@pytest.mark.anyio
async def test_redirects_are_followed_and_error_statuses_recorded() -> None:
    with respx.mock(assert_all_called=False) as routes:
        routes.get(f"{URL}/").mock(return_value=httpx.Response(302, headers={"Location": "/login?next=%2F"}))
        routes.get(f"{URL}/login").mock(return_value=httpx.Response(403, headers={"X-Frame-Options": "SAMEORIGIN"}))
        routes.get(path__regex=r"^/(admin|administrator)/$").mock(return_value=httpx.Response(404))
        routes.get(path="/crmsec-probe-not-found").mock(return_value=httpx.Response(404))
        recorder = await _collect(Target("web", URL))
    probe = _values(recorder)["http.probe"]
    assert isinstance(probe, dict)
    assert (probe["url"], probe["status"], probe["hsts"], probe["cookies"]) == (f"{URL}/login", 403, None, [])
    assert probe["headers"]["x-frame-options"] == "SAMEORIGIN"


@pytest.mark.anyio
async def test_platform_config_from_outside() -> None:
    debug_page = "<h1>Page not found</h1><p>You're seeing this error because you have DEBUG = True in settings.</p>"
    with respx.mock(assert_all_called=False) as routes:
        routes.get(f"{URL}/").mock(
            return_value=httpx.Response(200, headers={"Access-Control-Allow-Origin": "*", "Server": "gunicorn"})
        )
        routes.get(f"{URL}/admin/").mock(return_value=httpx.Response(302, headers={"Location": "/admin/login/"}))
        routes.get(f"{URL}/admin/login/").mock(return_value=httpx.Response(200, text="<form>"))
        routes.get(f"{URL}/crmsec-probe-not-found").mock(return_value=httpx.Response(404, text=debug_page))
        recorder = await _collect(Target("web", URL))
    assert _values(recorder)["platform.config"] == {
        "debug_mode": True,
        "secret_key_weak": None,
        "cors_allow_all_origins": True,
        "allowed_hosts_wildcard": None,
        "admin_interface_exposed": True,
        "server_banner": "gunicorn",
    }


@pytest.mark.anyio
async def test_closed_site_reads_as_not_exposed() -> None:
    with respx.mock(assert_all_called=False) as routes:
        routes.get(f"{URL}/").mock(return_value=httpx.Response(200))
        routes.get(path__regex=r"^/(admin|administrator)/$").mock(return_value=httpx.Response(404))
        routes.get(f"{URL}/crmsec-probe-not-found").mock(return_value=httpx.Response(404, text="Not Found"))
        recorder = await _collect(Target("web", URL))
    config = _values(recorder)["platform.config"]
    assert isinstance(config, dict)
    assert (config["debug_mode"], config["cors_allow_all_origins"], config["admin_interface_exposed"]) == (
        False,
        False,
        False,
    )
    assert config["server_banner"] is None


@pytest.mark.anyio
async def test_unreachable_site_records_errors_not_values() -> None:
    with respx.mock(assert_all_called=False) as routes:
        routes.get(f"{URL}/").mock(side_effect=httpx.ConnectError("connection refused"))
        sleeps = _Sleeps()
        recorder = await _collect(Target("web", URL), sleeper=sleeps)
    assert len(sleeps.waits) == 3  # retried with backoff, through the injected sleeper
    snapshot = recorder.build(Target("web", URL), connector="web", connector_version="test")
    errors = {key: (item.error.reason if item.error else None) for key, item in snapshot.items.items()}
    assert errors == {key: Reason.UNREACHABLE for key in HTTP_KEYS}
    [finding] = run_check("CRM-TLS-011", snapshot)
    assert (finding.status, finding.reason) == (Status.ERROR, Reason.UNREACHABLE)


@pytest.mark.anyio
async def test_plain_http_target_gets_no_tls_scan() -> None:
    with respx.mock(assert_all_called=False) as routes:
        routes.get("http://crm.example.test/").mock(return_value=httpx.Response(200))
        routes.get(path__regex=r"^/(admin|administrator)/$").mock(return_value=httpx.Response(404))
        routes.get(path="/crmsec-probe-not-found").mock(return_value=httpx.Response(404))
        recorder = await _collect(Target("web", "http://crm.example.test"), keys=())
    assert "tls.scan" not in recorder.keys
    assert {"http.probe", "platform.config", "stability.api"} <= set(recorder.keys)


def test_web_is_a_registered_platform() -> None:
    connector = load_connector("web")
    assert isinstance(connector, WebConnector)
    assert connector.platform == "web"


@pytest.mark.integration
@pytest.mark.anyio
async def test_scan_over_loopback_https(tmp_path: Path) -> None:
    from tls_servers import issue_leaf

    authority = make_authority(tmp_path)
    leaf = issue_leaf(authority, tmp_path)
    with serve_https(leaf) as port:
        target = Target("web", f"https://127.0.0.1:{port}", ca_bundle=authority.bundle)
        recorder = Recorder()
        async with make_client(target) as client:
            await WebConnector().collect(target, client, recorder)
    snapshot: EvidenceSnapshot = recorder.build(target, connector="web", connector_version="test")
    assert contract_problems(WebConnector(), snapshot) == []
    collected = {key for key, item in snapshot.items.items() if item.error is None}
    assert collected == {"http.probe", "platform.config", "stability.api", "tls.scan"}
    unsupported = {key for key, item in snapshot.items.items() if item.error is not None}
    assert unsupported == set(INVISIBLE_KEYS)
    assert {snapshot.items[key].error.reason for key in unsupported} == {Reason.NOT_SUPPORTED}  # type: ignore[union-attr]
    values = snapshot.values()
    assert values["tls.scan"]["certificate"]["trusted"] is True
    assert values["http.probe"]["cookies"] == [
        {"name": "sessionid", "secure": True, "http_only": True, "same_site": "lax"}
    ]
    assert values["platform.config"]["server_banner"] == SERVER_BANNER
    assert values["platform.config"]["admin_interface_exposed"] is False
    statuses = {
        check_id: sorted({finding.status for finding in run_check(check_id, snapshot)})
        for check_id in ("CRM-TLS-001", "CRM-TLS-005", "CRM-TLS-006", "CRM-TLS-011", "CRM-TLS-012", "CRM-TLS-013")
    }
    assert statuses == {check_id: [Status.PASS] for check_id in statuses}
    assert recorder.api_calls == 4  # GET /, /admin/, /administrator/ and the missing page
    assert values["stability.api"]["requests"] == 4
    [finding] = run_check("CRM-AUTH-004", snapshot)
    assert finding.status is Status.NOT_APPLICABLE


@pytest.mark.anyio
async def test_redirects_elsewhere_leave_the_facts_unknown() -> None:
    """A site that sends every request to another origin shows nothing about itself: null, never PASS."""
    elsewhere = "https://sso.example.test/login"
    with respx.mock(assert_all_called=False) as routes:
        routes.get(host="crm.example.test").mock(return_value=httpx.Response(302, headers={"location": elsewhere}))
        routes.get(elsewhere).mock(
            return_value=httpx.Response(200, text="sign in", headers={"access-control-allow-origin": "*"})
        )
        recorder = await _collect(Target("web", URL))
    config = _values(recorder)["platform.config"]
    assert isinstance(config, dict)
    assert (config["debug_mode"], config["cors_allow_all_origins"], config["admin_interface_exposed"]) == (
        None,
        None,
        None,
    )
    probe = _values(recorder)["http.probe"]
    assert probe == {
        "url": elsewhere,
        "status": 200,
        "describes_target": False,
        "headers": None,
        "cookies": None,
        "hsts": None,
    }


SECURE_HEADERS = {
    "strict-transport-security": "max-age=63072000; includeSubDomains",
    "content-security-policy": "default-src 'self'; frame-ancestors 'none'",
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "set-cookie": "sid=1; Secure; HttpOnly; SameSite=Strict",
}
HEADER_CHECKS = ("CRM-TLS-011", "CRM-TLS-012", "CRM-TLS-013")


def _statuses(recorder: Recorder) -> set[Status]:
    snapshot = recorder.build(Target("web", URL), connector="web", connector_version="test")
    return {finding.status for check_id in HEADER_CHECKS for finding in run_check(check_id, snapshot)}


@pytest.mark.anyio
async def test_another_origins_perfect_headers_are_not_credited_to_the_target() -> None:
    """The issue: HSTS/CSP/XFO/nosniff of a page on another origin read as PASS for the target."""
    elsewhere = "https://www.example.test/home"
    with respx.mock(assert_all_called=False) as routes:
        routes.get(host="crm.example.test").mock(return_value=httpx.Response(301, headers={"location": elsewhere}))
        routes.get(elsewhere).mock(return_value=httpx.Response(200, headers=SECURE_HEADERS))
        recorder = await _collect(Target("web", URL))
    assert _statuses(recorder) == {Status.MANUAL}


@pytest.mark.anyio
async def test_the_targets_own_perfect_headers_pass() -> None:
    with respx.mock(assert_all_called=False) as routes:
        routes.get(f"{URL}/").mock(return_value=httpx.Response(302, headers={"location": "/home"}))
        routes.get(f"{URL}/home").mock(return_value=httpx.Response(200, headers=SECURE_HEADERS))
        routes.get(host="crm.example.test").mock(return_value=httpx.Response(404))
        recorder = await _collect(Target("web", URL))
    assert _statuses(recorder) == {Status.PASS}


@pytest.mark.anyio
async def test_an_upgrade_from_http_to_https_on_the_same_host_describes_the_target() -> None:
    with respx.mock(assert_all_called=False) as routes:
        routes.get("http://crm.example.test/").mock(return_value=httpx.Response(301, headers={"location": f"{URL}/"}))
        routes.get(f"{URL}/").mock(return_value=httpx.Response(200, headers=SECURE_HEADERS))
        routes.get(host="crm.example.test").mock(return_value=httpx.Response(404))
        recorder = await _collect(Target("web", "http://crm.example.test"))
    probe = _values(recorder)["http.probe"]
    assert isinstance(probe, dict)
    assert (probe["url"], probe["describes_target"]) == (f"{URL}/", True)
    assert _statuses(recorder) == {Status.PASS}


@pytest.mark.anyio
async def test_redirects_off_the_targets_site_are_not_followed_by_default() -> None:
    offsite = "https://login.identity-provider.test/authorize"
    with respx.mock(assert_all_called=False) as routes:
        routes.get(host="crm.example.test").mock(return_value=httpx.Response(302, headers={"location": offsite}))
        other = routes.get(host="login.identity-provider.test").mock(
            return_value=httpx.Response(200, headers={**SECURE_HEADERS, "access-control-allow-origin": "*"})
        )
        recorder = await _collect(Target("web", URL))
    assert not other.called  # nothing is sent to another site
    values = _values(recorder)
    probe, config = values["http.probe"], values["platform.config"]
    assert isinstance(probe, dict) and isinstance(config, dict)
    assert (probe["url"], probe["status"], probe["describes_target"], probe["headers"]) == (f"{URL}/", 302, False, None)
    assert (config["debug_mode"], config["cors_allow_all_origins"], config["admin_interface_exposed"]) == (
        None,
        None,
        None,
    )
    assert _statuses(recorder) == {Status.MANUAL}


@pytest.mark.anyio
async def test_offsite_redirects_are_followed_on_request_but_still_not_credited() -> None:
    offsite = "https://login.identity-provider.test/authorize"
    with respx.mock(assert_all_called=False) as routes:
        routes.get(host="crm.example.test").mock(return_value=httpx.Response(302, headers={"location": offsite}))
        other = routes.get(offsite).mock(return_value=httpx.Response(200, headers=SECURE_HEADERS))
        target = Target("web", URL, options={"follow_offsite_redirects": "true"})
        recorder = await _collect(target)
    assert other.called
    probe = _values(recorder)["http.probe"]
    assert isinstance(probe, dict) and (probe["url"], probe["describes_target"]) == (offsite, False)
    assert _statuses(recorder) == {Status.MANUAL}


@pytest.mark.anyio
async def test_a_bad_follow_offsite_option_is_an_input_error() -> None:
    with pytest.raises(InputError, match="follow_offsite_redirects"):
        await _collect(Target("web", URL, options={"follow_offsite_redirects": "sometimes"}))


@pytest.mark.parametrize(
    ("host", "site"),
    [
        ("crm.example.test", "example.test"),
        ("a.b.Example.COM.", "example.com"),
        ("example.com", "example.com"),
        ("crm.acme.co.uk", "acme.co.uk"),
        ("shop.acme.com.cn", "acme.com.cn"),
        ("acme.my.salesforce.com", "salesforce.com"),
        ("127.0.0.1", "127.0.0.1"),
        ("::1", "::1"),
        ("localhost", "localhost"),
    ],
)
def test_registrable_domain(host: str, site: str) -> None:
    assert registrable_domain(host) == site


@pytest.mark.anyio
async def test_a_missing_page_answered_with_200_is_not_proof_of_no_debug_mode() -> None:
    with respx.mock(assert_all_called=False) as routes:
        routes.get(host="crm.example.test").mock(return_value=httpx.Response(200, text="<html>app shell</html>"))
        recorder = await _collect(Target("web", URL))
    config = _values(recorder)["platform.config"]
    assert isinstance(config, dict) and config["debug_mode"] is None


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("failure", "reason"),
    [
        (httpx.ReadError("connection reset mid-body"), Reason.MALFORMED_RESPONSE),
        (httpx.Response(503, headers={"Retry-After": "1"}), Reason.HTTP_ERROR),
        (httpx.Response(429, headers={"Retry-After": "1"}), Reason.RATE_LIMITED),
    ],
)
async def test_a_failed_probe_makes_platform_config_an_error_not_unknown_or_no(
    failure: httpx.Response | Exception, reason: Reason
) -> None:
    """Fail closed: the missing-page probe broken off (or still refused after the retries) saw nothing.

    Before, it left debug_mode `null` (CRM-CFG-001 PASS turned MANUAL under the lab's faults) or, for a
    503 page, `false`; either way a fault changed a verdict. Now platform.config is an error with the reason.
    """
    answer = {"side_effect": failure} if isinstance(failure, Exception) else {"return_value": failure}
    with respx.mock(assert_all_called=False) as routes:
        routes.get(f"{URL}/").mock(return_value=httpx.Response(200))
        routes.get(path__regex=r"^/(admin|administrator)/$").mock(return_value=httpx.Response(404))
        routes.get(f"{URL}/crmsec-probe-not-found").mock(**answer)
        recorder = await _collect(Target("web", URL))
    snapshot = recorder.build(Target("web", URL), connector="web", connector_version="test")
    config = snapshot.items["platform.config"]
    assert config.error is not None and config.error.reason is reason
    assert snapshot.items["http.probe"].error is None and snapshot.items["stability.api"].error is None


@pytest.mark.anyio
async def test_a_front_page_still_unavailable_after_retries_is_not_probed_as_the_target() -> None:
    """A 503 page's headers are the load balancer's, not the CRM's: http.probe is an error, not its headers."""
    with respx.mock(assert_all_called=False) as routes:
        routes.get(f"{URL}/").mock(return_value=httpx.Response(503, headers={"Retry-After": "1"}))
        recorder = await _collect(Target("web", URL))
    snapshot = recorder.build(Target("web", URL), connector="web", connector_version="test")
    assert {key: snapshot.items[key].error.reason for key in HTTP_KEYS} == {key: Reason.HTTP_ERROR for key in HTTP_KEYS}


def _answer(status: int, url: str, requested: str) -> HttpResponse:
    headers = httpx.Headers({"x-frame-options": "DENY", "strict-transport-security": "max-age=600"})
    return HttpResponse(status, headers, b"", url, "GET /", requested_url=requested)


@pytest.mark.parametrize(
    ("answer", "described"),
    [
        (_answer(302, f"{URL}/", f"{URL}/"), True),  # the target's own redirect, returned as asked (BottleCRM)
        (_answer(200, f"{URL}/login", f"{URL}/"), True),
        (_answer(200, f"{URL}:8443/", f"{URL}/"), False),
        (_answer(200, "https://sso.example.test/", f"{URL}/"), False),
        (_answer(200, f"{URL}/", "http://crm.example.test/"), True),  # upgraded to https on the same host
        (_answer(200, f"{URL}/", "http://crm.example.test:8080/"), False),
    ],
)
def test_probe_value_records_headers_only_from_the_requested_origin(answer: HttpResponse, described: bool) -> None:
    value = probe_value(answer)
    assert value["describes_target"] is described
    assert (value["headers"] is not None, value["hsts"] is not None, value["cookies"] is not None) == (described,) * 3
