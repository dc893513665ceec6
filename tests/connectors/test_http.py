"""The HTTP layer: retries, Retry-After, safe redirects, body caps and error mapping (respx, no network)."""

from __future__ import annotations

import gzip

import httpx
import pytest
import respx

from crmsec.connectors.auth import BearerAuth
from crmsec.connectors.http import ApiStats, RetryPolicy, make_client, request, retry_after_seconds
from crmsec.errors import ConnectorError, Reason, TargetError
from crmsec.target import Secret, Target

TARGET = Target(platform="salesforce", url="https://org.example.test")


class Sleeps:
    def __init__(self) -> None:
        self.calls: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


@pytest.mark.anyio
async def test_retries_honour_retry_after_and_count_calls() -> None:
    sleeps = Sleeps()
    stats = ApiStats()
    async with make_client(TARGET) as client:
        with respx.mock:
            route = respx.get("https://org.example.test/a").mock(
                side_effect=[
                    httpx.Response(429, headers={"Retry-After": "7"}),
                    httpx.Response(503),
                    httpx.Response(200, json={"ok": True}),
                ]
            )
            response = await request(client, "GET", "https://org.example.test/a", stats=stats, sleeper=sleeps)
    assert response.json() == {"ok": True}
    assert route.call_count == 3
    assert sleeps.calls == [7.0, 1.0]
    assert stats.to_evidence()["requests"] == 3
    assert stats.to_evidence()["errors"] == 0


@pytest.mark.anyio
async def test_retry_after_above_ceiling_fails_as_rate_limited() -> None:
    sleeps = Sleeps()
    async with make_client(TARGET) as client:
        with respx.mock:
            respx.get("https://org.example.test/a").mock(
                return_value=httpx.Response(429, headers={"Retry-After": "3600"})
            )
            with pytest.raises(ConnectorError) as caught:
                await request(
                    client,
                    "GET",
                    "https://org.example.test/a?token=abc",
                    sleeper=sleeps,
                    policy=RetryPolicy(retry_after_ceiling=30),
                )
    assert caught.value.reason is Reason.RATE_LIMITED
    assert caught.value.endpoint == "GET /a"
    assert "abc" not in str(caught.value)
    assert sleeps.calls == []


@pytest.mark.anyio
async def test_last_error_is_raised_after_retries() -> None:
    sleeps = Sleeps()
    async with make_client(TARGET) as client:
        with respx.mock:
            route = respx.get("https://org.example.test/a").mock(return_value=httpx.Response(500))
            with pytest.raises(ConnectorError) as caught:
                await request(client, "GET", "https://org.example.test/a", sleeper=sleeps)
    assert caught.value.reason is Reason.HTTP_ERROR
    assert route.call_count == 4
    assert sleeps.calls == [0.5, 1.0, 2.0]


@pytest.mark.anyio
async def test_cross_origin_redirect_drops_authorization_cookie_and_secret_headers() -> None:
    async with make_client(TARGET) as client:
        with respx.mock:
            respx.get("https://org.example.test/r").mock(
                return_value=httpx.Response(302, headers={"Location": "https://other.example.test/x"})
            )
            target = respx.get("https://other.example.test/x").mock(return_value=httpx.Response(200, json={}))
            await request(
                client,
                "GET",
                "https://org.example.test/r",
                auth=BearerAuth(Secret("s3cret")),
                headers={"Cookie": "sid=1", "X-Api-Key": "k"},
                secret_headers=["X-Api-Key"],
            )
    sent = target.calls.last.request.headers
    assert "authorization" not in sent
    assert "cookie" not in sent
    assert "x-api-key" not in sent


@pytest.mark.anyio
async def test_same_origin_redirect_keeps_authorization() -> None:
    async with make_client(TARGET) as client:
        with respx.mock:
            respx.get("https://org.example.test/r").mock(return_value=httpx.Response(307, headers={"Location": "/x"}))
            target = respx.get("https://org.example.test/x").mock(return_value=httpx.Response(200, json={}))
            await request(client, "GET", "https://org.example.test/r", auth=BearerAuth(Secret("s3cret")))
    assert target.calls.last.request.headers["authorization"] == "Bearer s3cret"


@pytest.mark.anyio
async def test_https_to_http_redirect_is_refused() -> None:
    async with make_client(TARGET) as client:
        with respx.mock:
            respx.get("https://org.example.test/r").mock(
                return_value=httpx.Response(301, headers={"Location": "http://org.example.test/x"})
            )
            with pytest.raises(ConnectorError, match="refused a redirect from https"):
                await request(client, "GET", "https://org.example.test/r")


@pytest.mark.anyio
async def test_body_cap_counts_decompressed_bytes() -> None:
    bomb = gzip.compress(b"0" * 200_000)
    async with make_client(TARGET) as client:
        with respx.mock:
            respx.get("https://org.example.test/big").mock(
                return_value=httpx.Response(200, content=bomb, headers={"Content-Encoding": "gzip"})
            )
            with pytest.raises(ConnectorError) as caught:
                await request(client, "GET", "https://org.example.test/big", max_bytes=100_000)
    assert len(bomb) < 100_000
    assert caught.value.reason is Reason.RESPONSE_TOO_LARGE


@pytest.mark.anyio
async def test_malformed_json_is_reported() -> None:
    async with make_client(TARGET) as client:
        with respx.mock:
            respx.get("https://org.example.test/j").mock(return_value=httpx.Response(200, content=b"{nope"))
            response = await request(client, "GET", "https://org.example.test/j")
    with pytest.raises(ConnectorError) as caught:
        response.json()
    assert caught.value.reason is Reason.MALFORMED_RESPONSE


@pytest.mark.anyio
async def test_401_before_any_success_is_a_target_error_and_later_a_connector_error() -> None:
    stats = ApiStats()
    async with make_client(TARGET) as client:
        with respx.mock:
            respx.get("https://org.example.test/ok").mock(return_value=httpx.Response(200, json={}))
            respx.get("https://org.example.test/no").mock(return_value=httpx.Response(401))
            with pytest.raises(TargetError) as first:
                await request(client, "GET", "https://org.example.test/no", stats=stats)
            await request(client, "GET", "https://org.example.test/ok", stats=stats)
            with pytest.raises(ConnectorError) as later:
                await request(client, "GET", "https://org.example.test/no", stats=stats)
    assert first.value.reason is Reason.AUTHENTICATION_FAILED
    assert not isinstance(later.value, TargetError)
    assert later.value.reason is Reason.AUTHENTICATION_FAILED  # the engine stops the scan on it (exit 3)
    assert "mid-collection" in str(later.value)


@pytest.mark.anyio
async def test_403_is_permission_denied_and_connect_error_is_unreachable() -> None:
    sleeps = Sleeps()
    async with make_client(TARGET) as client:
        with respx.mock:
            respx.get("https://org.example.test/f").mock(return_value=httpx.Response(403))
            respx.get("https://org.example.test/down").mock(side_effect=httpx.ConnectError("refused"))
            with pytest.raises(ConnectorError) as denied:
                await request(client, "GET", "https://org.example.test/f")
            with pytest.raises(TargetError) as down:
                await request(client, "GET", "https://org.example.test/down", sleeper=sleeps)
    assert denied.value.reason is Reason.PERMISSION_DENIED
    assert down.value.reason is Reason.UNREACHABLE
    assert len(sleeps.calls) == 3


def test_retry_after_parses_seconds_and_dates() -> None:
    assert retry_after_seconds(httpx.Headers({"Retry-After": "12"})) == 12.0
    assert retry_after_seconds(httpx.Headers({})) is None
    assert retry_after_seconds(httpx.Headers({"Retry-After": "soon"})) is None


def test_client_verifies_tls_and_never_follows_redirects() -> None:
    client = make_client(TARGET)
    assert client.follow_redirects is False
    assert client.headers["User-Agent"].startswith("crmsec/")
    assert client.timeout.connect is not None and client.timeout.read is not None


@pytest.mark.anyio
@pytest.mark.parametrize(
    "elsewhere",
    ["https://other.example.test/x", "https://org.example.test:8443/x", "https://ORG.example.test.evil.test/x"],
)
async def test_the_clients_own_auth_never_signs_a_request_to_another_origin(elsewhere: str) -> None:
    """Auth set on the client (not per request) is dropped too once a redirect leaves the origin."""
    async with make_client(TARGET) as client:
        client.auth = BearerAuth(Secret("s3cret"))
        with respx.mock:
            first = respx.get("https://org.example.test/r").mock(
                return_value=httpx.Response(307, headers={"Location": elsewhere})
            )
            second = respx.get(elsewhere).mock(return_value=httpx.Response(200, json={}))
            await request(client, "GET", "https://org.example.test/r")
    assert first.calls.last.request.headers["authorization"] == "Bearer s3cret"
    assert "authorization" not in second.calls.last.request.headers


@pytest.mark.anyio
async def test_a_redirect_the_filter_refuses_is_returned_not_followed() -> None:
    async with make_client(TARGET) as client:
        with respx.mock:
            respx.get("https://org.example.test/r").mock(
                return_value=httpx.Response(302, headers={"Location": "https://elsewhere.test/x"})
            )
            elsewhere = respx.get("https://elsewhere.test/x").mock(return_value=httpx.Response(200))
            response = await request(
                client, "GET", "https://org.example.test/r", follow=lambda url: url.host.endswith("example.test")
            )
    assert not elsewhere.called
    assert (response.status, response.url, response.requested_url) == (
        302,
        "https://org.example.test/r",
        "https://org.example.test/r",
    )


@pytest.mark.anyio
async def test_the_final_response_knows_where_the_request_started() -> None:
    async with make_client(TARGET) as client:
        with respx.mock:
            respx.get("https://org.example.test/r").mock(return_value=httpx.Response(301, headers={"Location": "/x"}))
            respx.get("https://org.example.test/x").mock(return_value=httpx.Response(200))
            response = await request(client, "GET", "https://org.example.test/r?q=1")
    assert (response.url, response.requested_url) == ("https://org.example.test/x", "https://org.example.test/r?q=1")


@pytest.mark.anyio
@pytest.mark.parametrize("location", [None, "http://[bad"])
async def test_a_redirect_without_a_usable_location_is_malformed(location: str | None) -> None:
    headers = {"Location": location} if location else {}
    async with make_client(TARGET) as client:
        with respx.mock:
            respx.get("https://org.example.test/r").mock(return_value=httpx.Response(302, headers=headers))
            with pytest.raises(ConnectorError) as raised:
                await request(client, "GET", "https://org.example.test/r")
    assert raised.value.reason is Reason.MALFORMED_RESPONSE
