"""The `web` platform: the public face of any CRM, seen from outside without credentials.

`WebConnector` records these keys, each as a value or an error (it never raises for an unreachable or
misconfigured host, so the checks report ERROR with the reason):

- `tls.scan` (https targets only), through `crmsec.connectors.tls`;
- `http.probe`: one GET of the target URL (redirects followed by `connectors.http`), see `probe_http`;
  `describes_target` is false, and `headers`, `cookies` and `hsts` are `null` (unknown), when the answer
  came from another origin or is a redirect to another site that was not followed;
- `stability.api`: requests, errors and latency of those probes (`connectors.http.ApiStats`);
- every other platform-neutral key as an error `not_supported` (`INVISIBLE_KEYS`), so checks that need an
  authenticated view read NOT_APPLICABLE for a web scan instead of ERROR;
- `platform.config`: what shows from outside: `server_banner` (Server header), `cors_allow_all_origins`
  (the probe sends an `Origin` header; `*` or an echo of it is true), `admin_interface_exposed` (a GET of
  each of a few admin paths answers 2xx after redirects), `debug_mode` (a GET of a path that does not exist
  shows a framework debug page); `secret_key_weak` and `allowed_hosts_wildcard` cannot be seen: `null`.

Requests are few (three GETs plus redirects) and harmless. No response body, cookie value or query string
enters the evidence: `headers` keeps only an allow-list of security-relevant headers, and `cookies` only the
name and flags of each Set-Cookie. `same_site` is `"strict"`, `"lax"`, `"none"` or `null` when absent.

Whose answer is it? Only an answer from the target's own origin describes the target (an `http://` target
upgraded to `https://` on the same host and default port counts as its own). Anything another origin
answered leaves the facts drawn from it unknown (`null`), never "fine". Redirects are followed only within
the target's site, its registrable domain by the simple rule of `connectors.sites`. The option
`follow_offsite_redirects=true` follows every redirect (facts from other origins stay unknown anyway).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Sequence
from typing import Final
from urllib.parse import urlsplit, urlunsplit

import anyio
import httpx

from crmsec.connectors.base import Recorder
from crmsec.connectors.collect_tls import collect_tls
from crmsec.connectors.http import (
    REDIRECT_STATUSES,
    ApiStats,
    HttpResponse,
    RedirectFilter,
    RetryPolicy,
    Sleeper,
    request,
)
from crmsec.connectors.options import COMMON, Option, OptionSpec
from crmsec.connectors.probes import record_http_probe
from crmsec.connectors.sites import within_site
from crmsec.errors import ConnectorError, Reason
from crmsec.target import Target
from crmsec.version import __version__
from crmsec.vocabulary import JsonValue

logger = logging.getLogger(__name__)

PROBE_ORIGIN: Final = "https://crmsec-probe.invalid"
"""Sent as `Origin` on the probe, to see whether CORS answers any origin (`.invalid` never resolves)."""
ADMIN_PATHS: Final = ("/admin/", "/administrator/")
MISSING_PATH: Final = "/crmsec-probe-not-found"
PROBE_MAX_BYTES: Final = 4 * 1024 * 1024
RECORDED_HEADERS: Final = frozenset(
    {
        "strict-transport-security",
        "content-security-policy",
        "content-security-policy-report-only",
        "x-frame-options",
        "x-content-type-options",
        "referrer-policy",
        "permissions-policy",
        "cross-origin-opener-policy",
        "cross-origin-embedder-policy",
        "cross-origin-resource-policy",
        "access-control-allow-origin",
        "access-control-allow-credentials",
        "server",
        "x-powered-by",
        "content-type",
        "cache-control",
    }
)
DEBUG_MARKERS: Final = (
    b"DEBUG = True",  # Django's technical 404/500 page
    b"Werkzeug Debugger",
    b"Whoops! There was an error",  # Laravel
    b"<title>Action Controller: Exception caught</title>",  # Rails
)
_ACCEPT_ANY_STATUS: Final = range(400, 600)
NOT_SERVED: Final = frozenset({429, 502, 503, 504})
"""Answers saying the page was not served (rate limit, gateway, unavailable). Still there after the retries,
they tell nothing about the page, so the probe fails (an evidence error) instead of recording them."""
FOLLOW_OFFSITE_OPTION: Final = "follow_offsite_redirects"
OPTIONS = OptionSpec(
    "web",
    (*COMMON, Option(FOLLOW_OFFSITE_OPTION, "bool", False, "follow redirects to another site (not only same-site)")),
)
INVISIBLE_KEYS: Final = (
    "org.info",
    "identity.users",
    "identity.profiles",
    "identity.permission_sets",
    "auth.password_policy",
    "auth.session_settings",
    "auth.login_ip_ranges",
    "auth.mfa",
    "auth.sso",
    "access.object_permissions",
    "access.org_defaults",
    "integrations.connected_apps",
    "integrations.oauth_tokens",
    "integrations.api_keys",
    "encryption.platform",
    "backup.status",
    "schema.objects",
    "data.samples",
    "data.quality",
    "audit.settings",
    "platform.health_check",
    "usage.activity",
)
"""Keys only an authenticated connector can collect; the web platform records them as `not_supported`."""
INVISIBLE_MESSAGE: Final = (
    "the web platform sees only the CRM's public face, without credentials; scan with the CRM's own platform"
)


def parse_hsts(value: str | None) -> dict[str, JsonValue] | None:
    """`{max_age, include_subdomains, preload}` from a Strict-Transport-Security value; None when absent.

    A missing or malformed max-age gives `max_age: null` (RFC 6797 says the header is then ignored).
    """
    if value is None:
        return None
    max_age: int | None = None
    flags: set[str] = set()
    for directive in value.split(";"):
        name, _, argument = directive.strip().partition("=")
        name = name.strip().lower()
        if name == "max-age":
            digits = argument.strip().strip('"')
            max_age = int(digits) if digits.isdigit() else None
        elif name:
            flags.add(name)
    return {"max_age": max_age, "include_subdomains": "includesubdomains" in flags, "preload": "preload" in flags}


def parse_set_cookie(value: str) -> dict[str, JsonValue] | None:
    """`{name, secure, http_only, same_site}` from one Set-Cookie value (the cookie's value is dropped)."""
    pair, *attributes = value.split(";")
    name, separator, _ = pair.partition("=")
    if not separator or not name.strip():
        return None
    secure = http_only = False
    same_site: str | None = None
    for attribute in attributes:
        key, _, argument = attribute.strip().partition("=")
        key = key.strip().lower()
        if key == "secure":
            secure = True
        elif key == "httponly":
            http_only = True
        elif key == "samesite":
            same_site = argument.strip().lower() or None
    return {"name": name.strip(), "secure": secure, "http_only": http_only, "same_site": same_site}


def _recorded_headers(headers: httpx.Headers) -> dict[str, JsonValue]:
    found: dict[str, JsonValue] = {}
    for name in sorted(RECORDED_HEADERS):
        values = headers.get_list(name)
        if values:
            found[name] = ", ".join(values)
    return found


def _public_url(url: str) -> str:
    """The URL without user-info, query or fragment (what evidence may hold)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = f"[{host}]" if ":" in host else host
    if parts.port is not None:
        netloc = f"{netloc}:{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path or "/", "", ""))


def describes_target(response: HttpResponse) -> bool:
    """True when `response` came from the origin that was requested.

    The same scheme, host and port, or the same host upgraded from http to https on the default ports.
    """
    requested = urlsplit(response.requested_url or response.url)
    final = urlsplit(response.url)
    if (final.scheme, final.hostname, final.port) == (requested.scheme, requested.hostname, requested.port):
        return True
    upgraded = requested.scheme == "http" and requested.port in (None, 80) and final.port in (None, 443)
    return upgraded and final.scheme == "https" and final.hostname == requested.hostname


def _page_of_target(response: HttpResponse) -> bool:
    """The target's own origin answered, with a page rather than a redirect the probe did not follow."""
    return describes_target(response) and response.status not in REDIRECT_STATUSES


def probe_value(response: HttpResponse, *, describes: bool | None = None) -> dict[str, JsonValue]:
    """The `http.probe` evidence value for a response (see the module docstring).

    Headers, cookies and HSTS are recorded only when the answer describes the target (`describes`,
    by default `describes_target`); otherwise they are `null`: what another origin sends, or a
    redirect towards it, says nothing about this one.
    """
    value: dict[str, JsonValue] = {
        "url": _public_url(response.url),
        "status": response.status,
        "describes_target": describes_target(response) if describes is None else describes,
        "headers": None,
        "cookies": None,
        "hsts": None,
    }
    if value["describes_target"]:
        strict = response.headers.get_list("strict-transport-security")
        cookies = [parse_set_cookie(item) for item in response.headers.get_list("set-cookie")]
        value["headers"] = _recorded_headers(response.headers)
        value["cookies"] = [cookie for cookie in cookies if cookie is not None]
        value["hsts"] = parse_hsts(strict[0]) if strict else None  # RFC 6797 8.1: only the first header counts
    return value


async def probe_http(
    client: httpx.AsyncClient,
    url: str,
    *,
    stats: ApiStats | None = None,
    policy: RetryPolicy | None = None,
    sleeper: Sleeper = asyncio.sleep,
    follow_offsite: bool = False,
) -> tuple[dict[str, JsonValue], HttpResponse]:
    """GET `url` (any status accepted) and return the `http.probe` value with the response it came from.

    Redirects are followed within the site of `url` only (`within_site`) unless `follow_offsite`. Raises
    `ConnectorError` (or `TargetError`) from `connectors.http` when no answer arrives, after the retries
    of `policy`.
    """
    response = await request(
        client,
        "GET",
        url,
        headers={"Origin": PROBE_ORIGIN},
        accept=_ACCEPT_ANY_STATUS,
        max_bytes=PROBE_MAX_BYTES,
        stats=stats,
        policy=policy,
        sleeper=sleeper,
        follow=None if follow_offsite else within_site(url),
    )
    # Only a redirect to another site is left unfollowed here: the page the target shows is elsewhere.
    return probe_value(_served(response), describes=_page_of_target(response)), response


def _served(response: HttpResponse) -> HttpResponse:
    """`response`, unless it says the page was not served (`NOT_SERVED`): then ConnectorError."""
    if response.status in NOT_SERVED:
        reason = Reason.RATE_LIMITED if response.status == 429 else Reason.HTTP_ERROR
        message = f"{response.endpoint}: HTTP {response.status} after retries, the page was not served"
        raise ConnectorError(message, endpoint=response.endpoint, reason=reason)
    return response


def _allows_any_origin(headers: httpx.Headers) -> bool:
    allowed = headers.get("access-control-allow-origin", "").strip()
    return allowed in ("*", PROBE_ORIGIN)


class WebConnector:
    """Collects `tls.scan`, `http.probe` and `platform.config` from any CRM's public URL, without credentials."""

    platform = "web"
    version = __version__
    sends_credentials = False
    produces: tuple[str, ...] = ("tls.scan", "http.probe", "platform.config", "stability.api")
    """The evidence keys it records values for (`tls.scan` for https targets only)."""
    unsupported: tuple[str, ...] = INVISIBLE_KEYS
    options = OPTIONS
    """The keys it always records as `not_supported`."""

    def __init__(
        self,
        *,
        admin_paths: Sequence[str] = ADMIN_PATHS,
        policy: RetryPolicy | None = None,
        sleeper: Sleeper = asyncio.sleep,
    ) -> None:
        self.admin_paths = tuple(admin_paths)
        self.policy = policy or RetryPolicy()
        self.sleeper = sleeper

    async def collect(self, target: Target, client: httpx.AsyncClient, recorder: Recorder) -> None:
        """Run the TLS scan and the HTTP probes side by side; every failure becomes an item error."""
        for key in INVISIBLE_KEYS:
            recorder.fail(key, Reason.NOT_SUPPORTED, INVISIBLE_MESSAGE, source="web connector")
        offsite = OPTIONS.parse(target).flag(FOLLOW_OFFSITE_OPTION)  # a bad option fails before any request
        async with anyio.create_task_group() as group:
            group.start_soon(collect_tls, target, recorder)
            group.start_soon(self._collect_http, target, client, recorder, offsite)

    async def _collect_http(self, target: Target, client: httpx.AsyncClient, recorder: Recorder, offsite: bool) -> None:
        stats = ApiStats(recorder)
        url = target.url if urlsplit(target.url).path else target.url + "/"
        follow = None if offsite else within_site(url)

        def fetch() -> Awaitable[tuple[dict[str, JsonValue], HttpResponse]]:
            return probe_http(
                client, url, stats=stats, policy=self.policy, sleeper=self.sleeper, follow_offsite=offsite
            )

        fails = ("platform.config", "stability.api")
        response = await record_http_probe(recorder, fetch, fails=fails, target_errors_recorded=True)
        if response is None:
            return
        sources = ", ".join(("GET /", *self.admin_paths, MISSING_PATH))
        try:
            exposed = await self._admin_exposed(client, url, stats, follow)
            debug = await self._debug_page_shown(client, url, stats, follow)
        except ConnectorError as error:  # a probe that failed saw nothing: unknown, which is not "no"
            recorder.fail_from("platform.config", error)
            recorder.add("stability.api", stats.to_evidence(), source=sources)
            return
        config: dict[str, JsonValue] = {
            "debug_mode": debug,
            "secret_key_weak": None,
            # Headers of a page on another origin say nothing about this one: unknown, not "no".
            "cors_allow_all_origins": _allows_any_origin(response.headers) if _page_of_target(response) else None,
            "allowed_hosts_wildcard": None,
            "admin_interface_exposed": exposed,
            "server_banner": response.headers.get("server"),
        }
        recorder.add("platform.config", config, source=sources)
        recorder.add("stability.api", stats.to_evidence(), source=sources)

    async def _admin_exposed(
        self, client: httpx.AsyncClient, url: str, stats: ApiStats, follow: RedirectFilter | None
    ) -> bool | None:
        """True when an admin path answers 2xx; None when each was redirected elsewhere; a failed fetch raises."""
        answered = False
        for path in self.admin_paths:
            response = await self._get(client, _on_origin(url, path), stats, follow)
            if not _page_of_target(response):
                continue  # redirected elsewhere: this path tells nothing
            answered = True
            if 200 <= response.status < 300:
                return True
        return False if answered else None

    async def _debug_page_shown(
        self, client: httpx.AsyncClient, url: str, stats: ApiStats, follow: RedirectFilter | None
    ) -> bool | None:
        """True when a missing page shows a framework's debug page; None when another origin answered.

        A failed fetch raises: a probe that saw nothing must not leave a "no" or a guess behind.
        """
        response = await self._get(client, _on_origin(url, MISSING_PATH), stats, follow)
        if not _page_of_target(response):
            return None
        if any(marker in response.content for marker in DEBUG_MARKERS):
            return True
        # Only an error answer for the missing page was really looked at; a redirect or a 200 was not.
        return False if response.status >= 400 else None

    async def _get(
        self, client: httpx.AsyncClient, url: str, stats: ApiStats, follow: RedirectFilter | None
    ) -> HttpResponse:
        """GET one probe path (any status accepted); ConnectorError when it fails or is not served."""
        response = await request(
            client,
            "GET",
            url,
            accept=_ACCEPT_ANY_STATUS,
            max_bytes=PROBE_MAX_BYTES,
            stats=stats,
            policy=self.policy,
            sleeper=self.sleeper,
            follow=follow,
        )
        return _served(response)


def _on_origin(url: str, path: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))
