"""Talking to BottleCRM's REST API: the credential flows and a small session over `connectors.http.request`.

BottleCRM (the `django-crm` distribution) accepts three non-interactive credentials:

- a personal access token `bcrm_pat_...` as `Authorization: Bearer` (option `auth=pat`, the default);
- the organisation's API key (a UUID) in the `Token` header (option `auth=api_key`); it reads as an ADMIN
  but is read-only;
- a session JWT bound to an organisation (option `auth=jwt`), as `Authorization: Bearer`. Only this one may
  read credential endpoints (`/api/org/tokens/`), so it is the way to collect `integrations.api_keys`.

The secret comes from `target.secret` (CRMSEC_TOKEN or `--token-env`) or the credentials file's `token`.
"""

from __future__ import annotations

from collections.abc import Collection, Generator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import httpx

from crmsec.connectors.auth import BearerAuth
from crmsec.connectors.http import ApiStats, HttpResponse, request
from crmsec.errors import ConnectorError, InputError, Reason
from crmsec.target import Secret, Target, require_header_safe

AUTH_MODES = ("pat", "api_key", "jwt")
MAX_PAGES = 20


class OrgApiKeyAuth(httpx.Auth):
    """Sends the organisation API key in BottleCRM's `Token` header."""

    secret_headers = frozenset({"token"})

    def __init__(self, key: Secret) -> None:
        self._key = key

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Add the header and send."""
        request.headers["Token"] = self._key.reveal()
        yield request


def auth_mode(target: Target) -> str:
    """The credential kind named by option `auth` (pat by default); an unknown kind is an InputError."""
    mode = target.options.get("auth", "pat")
    if mode not in AUTH_MODES:
        raise InputError(f"auth={mode!r} is not a BottleCRM credential kind ({', '.join(AUTH_MODES)})")
    return mode


def target_secret(target: Target) -> Secret:
    """The credential of the target; none at all, or one no HTTP header can carry, is an InputError."""
    secret = target.secret or target.credentials.get("token")
    if secret is None:
        raise InputError(
            "no BottleCRM credential: put a personal access token or the org API key in CRMSEC_TOKEN",
            hint="create a token under Profile > API tokens, or pass --credentials-file",
        )
    require_header_safe(secret)
    return secret


def auth_for(target: Target) -> httpx.Auth:
    """The httpx auth flow for the target's credential kind."""
    secret = target_secret(target)
    return OrgApiKeyAuth(secret) if auth_mode(target) == "api_key" else BearerAuth(secret)


@dataclass(slots=True)
class BottleApi:
    """One collection's view of the API: base URL, auth, shared request statistics."""

    client: httpx.AsyncClient
    base_url: str
    auth: httpx.Auth | None
    stats: ApiStats
    headers: dict[str, str] = field(default_factory=lambda: {"Accept": "application/json"})

    def url(self, path: str, query: dict[str, str | int] | None = None) -> str:
        """The absolute URL of an API path, with an optional query string."""
        suffix = f"?{urlencode(query)}" if query else ""
        return f"{self.base_url.rstrip('/')}{path}{suffix}"

    async def get(
        self,
        path: str,
        *,
        query: dict[str, str | int] | None = None,
        headers: dict[str, str] | None = None,
        accept: Collection[int] = (),
        authenticated: bool = True,
        method: str = "GET",
        auth: httpx.Auth | None = None,
    ) -> HttpResponse:
        """Send one request through the shared helper (retries, caps, error mapping).

        `authenticated=False` sends no credential; `auth` replaces the scan's credential for this request.
        """
        chosen = auth or (self.auth if authenticated else _NO_AUTH)
        return await request(
            self.client,
            method,
            self.url(path, query),
            headers={**self.headers, **(headers or {})},
            auth=chosen,
            accept=accept,
            stats=self.stats,
        )

    async def document(self, path: str, *, query: dict[str, str | int] | None = None) -> Any:
        """GET a JSON document; a non-object answer is `malformed_response`."""
        response = await self.get(path, query=query)
        body = response.json()
        if not isinstance(body, dict | list):
            raise ConnectorError(
                f"GET {path}: expected a JSON object", endpoint=f"GET {path}", reason=Reason.MALFORMED_RESPONSE
            )
        return body

    async def drf_pages(self, path: str, *, page_size: int = 100, limit: int = 1000) -> list[dict[str, Any]]:
        """Every `results` entry of a DRF-paginated list (`count/next/results`), up to `limit` entries."""
        results: list[dict[str, Any]] = []
        for page in range(MAX_PAGES):
            body = await self.document(path, query={"limit": page_size, "offset": page * page_size})
            entries = body.get("results") if isinstance(body, dict) else None
            if not isinstance(entries, list):
                raise ConnectorError(
                    f"GET {path}: no results list", endpoint=f"GET {path}", reason=Reason.MALFORMED_RESPONSE
                )
            results.extend(entry for entry in entries if isinstance(entry, dict))
            if not body.get("next") or not entries or len(results) >= limit:
                break
        return results[:limit]


class _NoAuth(httpx.Auth):
    """Sends the request as it is: anonymous probes must not carry the scanner's credential."""

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Send unchanged."""
        yield request


_NO_AUTH = _NoAuth()
