"""httpx.Auth flows: a bearer access token, OAuth 2.0 client credentials, and the OAuth 2.0 JWT bearer grant.

Each flow marks the headers it sets as secret (`secret_headers`), so `connectors.http.request` drops them on
a cross-origin redirect, and never puts a token in a log line, an error message or evidence. A token
endpoint that refuses us raises `TargetError` with reason `authentication_failed`. The OAuth flows fetch a
token on first use and once more when the API answers 401 (an expired token).

`auth_for(target)` picks the flow from `target.options["auth"]` (`bearer` by default, `client_credentials`,
`jwt`); what each flow reads from the target is listed on its class.
"""

from __future__ import annotations

import base64
import json
import os
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Generator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from crmsec import files
from crmsec.connectors.options import Option
from crmsec.errors import InputError, Reason, TargetError
from crmsec.target import Secret, Target, require_header_safe

TOKEN_PATH = "/services/oauth2/token"  # noqa: S105 -- a URL path, not a password
JWT_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"
PRODUCTION_AUDIENCE = "https://login.salesforce.com"
SANDBOX_AUDIENCE = "https://test.salesforce.com"
"""The JWT `aud` Salesforce expects: login.salesforce.com for production orgs, test.salesforce.com for sandboxes
(OAuth 2.0 JWT Bearer Flow for Server-to-Server Integration)."""
MAX_KEY_FILE_BYTES = 1024 * 1024
SANDBOX = Option("sandbox", "bool", None, "JWT audience test.salesforce.com (true) or login (false)")
AUTH_OPTIONS = (
    Option("auth", "enum", "bearer", "the OAuth flow", choices=("bearer", "client_credentials", "jwt")),
    Option("token_url", "str", None, "the OAuth token endpoint (default: the instance's /services/oauth2/token)"),
    Option("jwt_key_file", "path", None, "the PEM private key of the JWT flow"),
    Option("jwt_key_env", "str", None, "the environment variable holding that PEM key"),
    Option("audience", "str", None, "the JWT audience, overriding `sandbox`"),
    SANDBOX,
)
"""The options of the Salesforce OAuth flows."""


class BearerAuth(httpx.Auth):
    """Sends `Authorization: Bearer <token>` with a fixed access token (the target's secret)."""

    secret_headers = frozenset({"authorization"})

    def __init__(self, token: Secret) -> None:
        require_header_safe(token)  # a non-ASCII token is the user's input error (exit 2), not a crash
        self._token = token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Add the header and send."""
        request.headers["Authorization"] = f"Bearer {self._token.reveal()}"
        yield request

    async def access_token(self, client: httpx.AsyncClient) -> Secret:
        """The token, for APIs that take it in the body (the Metadata API's SOAP SessionHeader)."""
        return self._token


class _OAuthFlow(httpx.Auth, ABC):
    """Shared machinery: fetch a token from `token_url`, use it, refetch once on 401."""

    secret_headers = frozenset({"authorization"})
    requires_response_body = True

    def __init__(self, token_url: str, *, clock: Callable[[], float] = time.time) -> None:
        self.token_url = token_url
        self._clock = clock
        self._token: Secret | None = None

    @abstractmethod
    def _token_form(self) -> dict[str, str]:
        """The form fields of the token request (grant type and credentials) of this flow."""

    def _token_request(self) -> httpx.Request:
        return httpx.Request("POST", self.token_url, data=self._token_form(), headers={"Accept": "application/json"})

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Attach a token (fetching one first if needed), and refetch it once when the API says 401."""
        if self._token is None:
            token_response = yield self._token_request()
            self._token = self._parse(token_response)
        request.headers["Authorization"] = f"Bearer {self._token.reveal()}"
        response = yield request
        if response.status_code == 401:
            token_response = yield self._token_request()
            self._token = self._parse(token_response)
            request.headers["Authorization"] = f"Bearer {self._token.reveal()}"
            yield request

    async def access_token(self, client: httpx.AsyncClient) -> Secret:
        """The current token, fetched through `client` when there is none yet."""
        if self._token is None:
            try:
                response = await client.send(self._token_request(), auth=None)
            except httpx.TransportError as error:
                raise self._failure(f"cannot reach the token endpoint ({type(error).__name__})") from error
            self._token = self._parse(response)
        return self._token

    def _parse(self, response: httpx.Response) -> Secret:
        if response.status_code != 200:
            raise self._failure(f"the token endpoint answered HTTP {response.status_code}")
        try:
            document = json.loads(response.content)
        except ValueError as error:
            raise self._failure("the token endpoint answered with something that is not JSON") from error
        token = document.get("access_token") if isinstance(document, dict) else None
        if not isinstance(token, str) or not token:
            raise self._failure("the token endpoint's answer has no access_token")
        return Secret(token)

    def _failure(self, message: str) -> TargetError:
        path = httpx.URL(self.token_url).path
        return TargetError(
            f"authentication failed: {message}",
            endpoint=f"POST {path}",
            reason=Reason.AUTHENTICATION_FAILED,
            hint="check the client id/secret or key and that the connected app allows this grant",
        )


class ClientCredentialsAuth(_OAuthFlow):
    """OAuth 2.0 client credentials: credentials `client_id` and `client_secret`."""

    def __init__(self, token_url: str, *, client_id: Secret, client_secret: Secret) -> None:
        super().__init__(token_url)
        self._client_id = client_id
        self._client_secret = client_secret

    def _token_form(self) -> dict[str, str]:
        return {
            "grant_type": "client_credentials",
            "client_id": self._client_id.reveal(),
            "client_secret": self._client_secret.reveal(),
        }


class JwtBearerAuth(_OAuthFlow):
    """OAuth 2.0 JWT bearer grant: an RS256 assertion signed with the target's private key.

    Reads credentials `client_id` (the consumer key, `iss`) and `username` (`sub`), the audience (see
    `jwt_audience`), and the PEM key from the file named by option
    `jwt_key_file` or the environment variable named by option `jwt_key_env`.
    """

    def __init__(
        self,
        token_url: str,
        *,
        client_id: Secret,
        username: str,
        audience: str,
        private_key: rsa.RSAPrivateKey,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(token_url, clock=clock)
        self._client_id = client_id
        self._username = username
        self._audience = audience
        self._key = private_key

    def assertion(self) -> str:
        """A signed JWT valid for three minutes."""
        claims = {
            "iss": self._client_id.reveal(),
            "sub": self._username,
            "aud": self._audience,
            "exp": int(self._clock()) + 180,
        }
        signing_input = f"{_b64_json({'alg': 'RS256', 'typ': 'JWT'})}.{_b64_json(claims)}"
        signature = self._key.sign(signing_input.encode("ascii"), padding.PKCS1v15(), hashes.SHA256())
        return f"{signing_input}.{_b64(signature)}"

    def _token_form(self) -> dict[str, str]:
        return {"grant_type": JWT_GRANT, "assertion": self.assertion()}


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64_json(document: dict[str, Any]) -> str:
    return _b64(json.dumps(document, separators=(",", ":"), sort_keys=True).encode("utf-8"))


def _key_file_error(message: str) -> InputError:
    return InputError(f"jwt_key_file {message}")


def load_private_key(target: Target) -> rsa.RSAPrivateKey:
    """The RSA key for the JWT grant, from option `jwt_key_file` or the variable named by `jwt_key_env`."""
    key_file = target.options.get("jwt_key_file")
    key_env = target.options.get("jwt_key_env")
    if key_file:
        material = files.read_regular(Path(key_file), limit=MAX_KEY_FILE_BYTES, error=_key_file_error)
        where = f"jwt_key_file {key_file}"
    elif key_env:
        material = os.environ.get(key_env, "").encode("utf-8")
        where = f"environment variable {key_env}"
    else:
        raise InputError("the jwt flow needs option jwt_key_file or jwt_key_env")
    try:
        key = serialization.load_pem_private_key(material, password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm) as error:
        raise InputError(f"{where}: not an unencrypted PEM private key") from error
    if not isinstance(key, rsa.RSAPrivateKey):
        raise InputError(f"{where}: the JWT bearer flow needs an RSA key (RS256)")
    return key


def auth_for(target: Target) -> BearerAuth | ClientCredentialsAuth | JwtBearerAuth:
    """The auth flow the target asks for (option `auth`: bearer, client_credentials or jwt)."""
    flow = target.options.get("auth", "bearer")
    token_url = target.options.get("token_url", target.url.rstrip("/") + TOKEN_PATH)
    if flow == "bearer":
        token = target.secret or target.credentials.get("token") or target.credentials.get("access_token")
        if token is None:
            raise InputError("no access token: set CRMSEC_TOKEN or use --credentials-file")
        return BearerAuth(token)
    if flow == "client_credentials":
        return ClientCredentialsAuth(
            token_url,
            client_id=_credential(target, "client_id"),
            client_secret=_credential(target, "client_secret"),
        )
    if flow == "jwt":
        return JwtBearerAuth(
            token_url,
            client_id=_credential(target, "client_id"),
            username=_credential(target, "username").reveal(),
            audience=jwt_audience(target),
            private_key=load_private_key(target),
        )
    raise InputError(f"auth flow {flow!r} is unknown (bearer, client_credentials, jwt)")


def is_sandbox_url(url: str) -> bool:
    """True for a Salesforce sandbox host: `test.salesforce.com` or a My Domain with a sandbox name.

    My Domain sandbox hosts are `<domain>--<sandbox>.sandbox.my.salesforce.com` (enhanced domains) or
    `<domain>--<sandbox>.my.salesforce.com`; production hosts never carry `--` in their first label.
    """
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    if host == "test.salesforce.com" or host.endswith(".sandbox.my.salesforce.com"):
        return True
    return "--" in host.split(".", 1)[0] and host.endswith((".salesforce.com", ".force.com"))


def jwt_audience(target: Target) -> str:
    """The JWT bearer audience: option `audience`, else option `sandbox=true|false`, else from the URL.

    A sandbox URL (`is_sandbox_url`) gives `https://test.salesforce.com`, any other `https://login.salesforce.com`.
    """
    explicit = target.options.get("audience")
    if explicit:
        return explicit
    flag = target.options.get(SANDBOX.name)
    if flag is not None:
        return SANDBOX_AUDIENCE if SANDBOX.convert(flag, target.platform) else PRODUCTION_AUDIENCE
    return SANDBOX_AUDIENCE if is_sandbox_url(target.url) else PRODUCTION_AUDIENCE


def _credential(target: Target, name: str) -> Secret:
    value = target.credentials.get(name)
    if value is None:
        raise InputError(f"the credentials file lacks {name}")
    return value
