"""OAuth flows: client credentials and JWT bearer against the lab's token endpoint, and refusals (respx)."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import httpx
import pytest
import respx
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from crmsec import engine
from crmsec.connectors.auth import ClientCredentialsAuth, JwtBearerAuth, auth_for
from crmsec.connectors.http import make_client, request
from crmsec.errors import Reason, TargetError
from crmsec.lab import LabConfig, start_lab
from crmsec.lab.oauth import CLIENT_ID
from crmsec.target import Secret, Target

CANARY = "canary-client-secret-4f9c1e"
TOKEN_URL = "https://org.example.test/services/oauth2/token"
KEYS = ("org.info", "identity.users")


@pytest.fixture(scope="module")
def key_pair() -> tuple[rsa.RSAPrivateKey, bytes, bytes]:
    """(private key, its unencrypted PEM, the public key's PEM)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return key, private_pem, public_pem


def _lab_target(lab: object, **options: str) -> Target:
    credentials = {"client_id": Secret(CLIENT_ID), "client_secret": Secret(lab.token)}  # type: ignore[attr-defined]
    credentials["username"] = Secret("scanner@acme-lab.example.test")
    return Target(
        platform="salesforce",
        url=lab.url,  # type: ignore[attr-defined]
        ca_bundle=Path(lab.ca_bundle),  # type: ignore[attr-defined]
        credentials=credentials,
        options={"tls_scan": "false", **options},
    )


@pytest.mark.integration
@pytest.mark.anyio
async def test_client_credentials_against_the_lab_collects() -> None:
    with start_lab(LabConfig(scenario="hardened", users=10, contacts=10)) as lab:
        snapshot = await engine.collect(_lab_target(lab, auth="client_credentials"), keys=KEYS)
    assert snapshot.items["org.info"].error is None
    assert len(snapshot.items["identity.users"].value) == 10  # type: ignore[arg-type]


@pytest.mark.integration
@pytest.mark.anyio
async def test_jwt_bearer_against_the_lab_collects(
    key_pair: tuple[rsa.RSAPrivateKey, bytes, bytes], tmp_path: Path
) -> None:
    _key, private_pem, public_pem = key_pair
    key_file = tmp_path / "jwt.pem"
    key_file.write_bytes(private_pem)
    with start_lab(LabConfig(users=10, contacts=10, jwt_public_key=public_pem)) as lab:
        target = _lab_target(lab, auth="jwt", jwt_key_file=str(key_file))
        snapshot = await engine.collect(target, keys=KEYS)
    assert snapshot.items["org.info"].error is None


@pytest.mark.integration
@pytest.mark.anyio
async def test_jwt_signed_by_another_key_is_refused_by_the_lab(
    key_pair: tuple[rsa.RSAPrivateKey, bytes, bytes], tmp_path: Path
) -> None:
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    key_file = tmp_path / "other.pem"
    key_file.write_bytes(
        other.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    lab_config = LabConfig(users=10, contacts=10, jwt_public_key=key_pair[2])
    with start_lab(lab_config) as lab, pytest.raises(TargetError) as caught:
        await engine.collect(_lab_target(lab, auth="jwt", jwt_key_file=str(key_file)), keys=KEYS)
    assert caught.value.reason is Reason.AUTHENTICATION_FAILED
    assert "HTTP 400" in str(caught.value)


@pytest.mark.integration
@pytest.mark.anyio
async def test_wrong_client_secret_is_refused_by_the_lab_and_never_shown() -> None:
    with start_lab(LabConfig(users=10, contacts=10)) as lab:
        target = _lab_target(lab, auth="client_credentials")
        target = Target(
            platform=target.platform,
            url=target.url,
            ca_bundle=target.ca_bundle,
            options=target.options,
            credentials={**target.credentials, "client_secret": Secret(CANARY)},
        )
        with pytest.raises(TargetError) as caught:
            await engine.collect(target, keys=KEYS)
    assert caught.value.reason is Reason.AUTHENTICATION_FAILED
    assert CANARY not in f"{caught.value} {caught.value!r} {caught.value.hint}"


def _client_credentials() -> ClientCredentialsAuth:
    return ClientCredentialsAuth(TOKEN_URL, client_id=Secret("consumer-key"), client_secret=Secret(CANARY))


@pytest.mark.parametrize("status", [400, 401])
@pytest.mark.anyio
async def test_token_endpoint_refusal_is_authentication_failed_without_the_secret(status: int) -> None:
    body = {"error": "invalid_client", "error_description": f"bad secret {CANARY}"}
    async with make_client(Target(platform="salesforce", url="https://org.example.test")) as client:
        with respx.mock:
            token = respx.post(TOKEN_URL).mock(return_value=httpx.Response(status, json=body))
            api = respx.get("https://org.example.test/services/data/v62.0/limits").mock(
                return_value=httpx.Response(200, json={})
            )
            with pytest.raises(TargetError) as caught:
                await request(client, "GET", "https://org.example.test/services/data/v62.0/limits",
                              auth=_client_credentials())  # fmt: skip
    error = caught.value
    assert (error.reason, error.endpoint) == (Reason.AUTHENTICATION_FAILED, "POST /services/oauth2/token")
    assert f"HTTP {status}" in str(error)
    assert CANARY not in f"{error} {error!r} {error.hint}"
    assert token.call_count == 1 and not api.called
    assert f"client_secret={CANARY}" in token.calls[0].request.content.decode()


@pytest.mark.anyio
async def test_token_answer_without_access_token_is_refused() -> None:
    async with make_client(Target(platform="salesforce", url="https://org.example.test")) as client:
        with respx.mock:
            respx.post(TOKEN_URL).mock(return_value=httpx.Response(200, json={"token_type": "Bearer"}))
            with pytest.raises(TargetError) as caught:
                await request(client, "GET", "https://org.example.test/x", auth=_client_credentials())
    assert caught.value.reason is Reason.AUTHENTICATION_FAILED
    assert "no access_token" in str(caught.value)


@pytest.mark.anyio
async def test_expired_token_is_fetched_again_once_on_401() -> None:
    async with make_client(Target(platform="salesforce", url="https://org.example.test")) as client:
        with respx.mock:
            token = respx.post(TOKEN_URL).mock(
                side_effect=[
                    httpx.Response(200, json={"access_token": "first"}),
                    httpx.Response(200, json={"access_token": "second"}),
                ]
            )
            api = respx.get("https://org.example.test/x").mock(
                side_effect=[httpx.Response(401), httpx.Response(200, json={"ok": True})]
            )
            response = await request(client, "GET", "https://org.example.test/x", auth=_client_credentials())
    assert response.status == 200 and token.call_count == 2
    assert [call.request.headers["authorization"] for call in api.calls] == ["Bearer first", "Bearer second"]


def _segment(text: str) -> dict[str, object]:
    return dict(json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))))


def test_jwt_assertion_is_rs256_with_the_salesforce_claims(key_pair: tuple[rsa.RSAPrivateKey, bytes, bytes]) -> None:
    key = key_pair[0]
    flow = JwtBearerAuth(
        TOKEN_URL,
        client_id=Secret("consumer-key"),
        username="scanner@example.test",
        audience="https://test.salesforce.com",
        private_key=key,
        clock=lambda: 1_000_000.0,
    )
    header, claims, signature = flow.assertion().split(".")
    assert _segment(header) == {"alg": "RS256", "typ": "JWT"}
    assert _segment(claims) == {"iss": "consumer-key", "sub": "scanner@example.test",
                                "aud": "https://test.salesforce.com", "exp": 1_000_180}  # fmt: skip
    raw = base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4))
    key.public_key().verify(raw, f"{header}.{claims}".encode(), padding.PKCS1v15(), hashes.SHA256())


def test_auth_for_reports_missing_credentials_by_name() -> None:
    from crmsec.errors import InputError

    target = Target(platform="salesforce", url="https://org.example.test", options={"auth": "client_credentials"},
                    credentials={"client_id": Secret("id")})  # fmt: skip
    with pytest.raises(InputError, match="client_secret"):
        auth_for(target)


@pytest.mark.parametrize(
    ("url", "options", "audience"),
    [
        ("https://acme.my.salesforce.com", {}, "https://login.salesforce.com"),
        ("https://acme--uat.sandbox.my.salesforce.com", {}, "https://test.salesforce.com"),
        ("https://ACME--UAT.SANDBOX.MY.SALESFORCE.COM/", {}, "https://test.salesforce.com"),
        ("https://acme--uat.my.salesforce.com", {}, "https://test.salesforce.com"),
        ("https://test.salesforce.com", {}, "https://test.salesforce.com"),
        ("https://login.salesforce.com", {}, "https://login.salesforce.com"),
        ("https://acme--uat.example.test", {}, "https://login.salesforce.com"),
        ("https://127.0.0.1:8443", {"sandbox": "true"}, "https://test.salesforce.com"),
        ("https://acme--uat.sandbox.my.salesforce.com", {"sandbox": "false"}, "https://login.salesforce.com"),
        ("https://acme.my.salesforce.com", {"audience": "https://acme.my.site.com"}, "https://acme.my.site.com"),
    ],
)
def test_jwt_audience_follows_sandbox_urls_unless_overridden(url: str, options: dict[str, str], audience: str) -> None:
    from crmsec.connectors.auth import jwt_audience

    assert jwt_audience(Target(platform="salesforce", url=url, options=options)) == audience


def test_a_sandbox_option_that_is_not_a_boolean_is_an_input_error() -> None:
    from crmsec.connectors.auth import jwt_audience
    from crmsec.errors import InputError

    with pytest.raises(InputError, match="sandbox='yes'"):
        jwt_audience(Target(platform="salesforce", url="https://acme.my.salesforce.com", options={"sandbox": "yes"}))


@pytest.mark.integration
@pytest.mark.anyio
async def test_the_sandbox_lab_wants_the_test_audience_and_reports_is_sandbox(
    key_pair: tuple[rsa.RSAPrivateKey, bytes, bytes], tmp_path: Path
) -> None:
    key_file = tmp_path / "jwt.pem"
    key_file.write_bytes(key_pair[1])
    with start_lab(LabConfig(users=10, contacts=10, jwt_public_key=key_pair[2], sandbox=True)) as lab:
        with pytest.raises(TargetError) as refused:  # the production audience, as for a non-sandbox URL
            await engine.collect(_lab_target(lab, auth="jwt", jwt_key_file=str(key_file)), keys=KEYS)
        target = _lab_target(lab, auth="jwt", jwt_key_file=str(key_file), sandbox="true")
        snapshot = await engine.collect(target, keys=KEYS)
    assert refused.value.reason is Reason.AUTHENTICATION_FAILED
    assert snapshot.items["org.info"].value["is_sandbox"] is True  # type: ignore[index]
