"""The one HTTP client factory, and `request`: one logical request with retries, redirects and a body cap.

Every connector gets its `httpx.AsyncClient` from `make_client` (TLS verification always on, explicit
timeouts, no automatic redirects) and sends through `request`, which:

- streams the body and stops at a cap counted after decompression (`response_too_large`), see
  `connectors.exchange`;
- retries 429, 5xx, connection failures and (for idempotent requests) broken reads, with exponential
  backoff that honours `Retry-After` up to a ceiling, see `connectors.retry`;
- follows redirects itself: a hop to another origin drops `Authorization`, `Cookie` and every header the
  auth flow marks secret (and the auth flow itself), and a hop from https to http is refused; a caller's
  `follow` predicate may stop at a redirect (the web probes stay on the target's site this way);
- maps httpx and ssl exceptions once (in `connectors.exchange`) to `ConnectorError` / `TargetError` with
  `endpoint` = method + path (never the query string, never a token), and final statuses here;
- feeds `ApiStats` (evidence key `stability.api`) and counts API calls on the `Recorder`.

The names of `exchange` and `retry` that connectors use are importable from here too.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import logging
import ssl
import stat
from collections.abc import Callable, Collection, Mapping
from pathlib import Path
from urllib.parse import urljoin

import certifi
import httpx

from crmsec.connectors.exchange import (
    ALWAYS_SECRET_HEADERS,
    DEFAULT_MAX_BYTES,
    ApiStats,
    Hop,
    HttpResponse,
    MiB,
    endpoint_of,
    map_transport_error,
)
from crmsec.connectors.options import CONCURRENCY
from crmsec.connectors.retry import (
    IDEMPOTENT_METHODS,
    RETRY_STATUSES,
    RetryPolicy,
    Sleeper,
    retry_after_seconds,
    send_with_retries,
)
from crmsec.errors import ConnectorError, InputError, Reason, TargetError
from crmsec.target import Target
from crmsec.version import __version__
from crmsec.vocabulary import JsonValue

__all__ = [
    "ALWAYS_SECRET_HEADERS",
    "DEFAULT_MAX_BYTES",
    "IDEMPOTENT_METHODS",
    "MAX_REDIRECTS",
    "REDIRECT_STATUSES",
    "RETRY_STATUSES",
    "USER_AGENT",
    "ApiStats",
    "ErrorClassifier",
    "HttpResponse",
    "MiB",
    "RedirectFilter",
    "RetryPolicy",
    "Sleeper",
    "endpoint_of",
    "make_client",
    "map_transport_error",
    "request",
    "retry_after_seconds",
    "ssl_context",
]

logger = logging.getLogger(__name__)

USER_AGENT = f"crmsec/{__version__}"
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
MAX_REDIRECTS = 5
DEFAULT_MAX_CONNECTIONS = 16

ErrorClassifier = Callable[[int, bytes], Reason | None]
"""Maps (status, capped error body) to a reason, e.g. Salesforce's 403 REQUEST_LIMIT_EXCEEDED."""
RedirectFilter = Callable[[httpx.URL], bool]
"""Whether to follow a redirect to this URL; when False, the redirect response itself is returned."""


def make_client(target: Target, *, timeout: float = 30.0, max_connections: int | None = None) -> httpx.AsyncClient:
    """An AsyncClient for `target`: verified TLS (system/certifi roots plus `target.ca_bundle`), explicit
    timeouts, connection reuse, no automatic redirects and a `crmsec/<version>` User-Agent.

    The pool holds at least as many connections as the target's `concurrency` option asks for (default
    16), so concurrent calls are not queued behind the pool. There is deliberately no way to turn
    verification off; a private CA goes in `--ca-bundle`.
    """
    connections = max_connections or max(DEFAULT_MAX_CONNECTIONS, _concurrency(target))
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    timeouts = httpx.Timeout(connect=min(timeout, 10.0), read=timeout, write=timeout, pool=timeout)
    return httpx.AsyncClient(
        verify=ssl_context(target),
        timeout=timeouts,
        limits=limits,
        follow_redirects=False,
        headers={"User-Agent": USER_AGENT},
        trust_env=False,
    )


def _concurrency(target: Target) -> int:
    """The `concurrency` option (an InputError when it is not 1..64), 0 when not given."""
    raw = target.options.get(CONCURRENCY.name)
    value = None if raw is None else CONCURRENCY.convert(raw, target.platform)
    return value if isinstance(value, int) else 0


def ssl_context(target: Target) -> ssl.SSLContext:
    """A verifying client context: certifi's roots, the system's, and the target's CA bundle if any.

    Loading a few hundred roots costs about 0.1 s of CPU, so contexts are cached per CA bundle (path,
    size and modification time: an edited bundle is read again). A context is only read after setup.
    """
    if target.ca_bundle is None:
        return _context(None, None)
    try:
        status = target.ca_bundle.stat()
    except OSError as error:
        raise InputError(f"--ca-bundle {target.ca_bundle}: not a readable PEM CA bundle") from error
    if not stat.S_ISREG(status.st_mode):  # a FIFO would block the TLS library's read; a device never ends
        raise InputError(f"--ca-bundle {target.ca_bundle}: not a regular file")
    return _context(str(target.ca_bundle.resolve()), (status.st_size, status.st_mtime_ns))


@functools.lru_cache(maxsize=16)
def _context(ca_bundle: str | None, stamp: tuple[int, int] | None) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=certifi.where())
    context.load_default_certs()
    if ca_bundle is not None:
        try:
            context.load_verify_locations(cafile=ca_bundle)
        except (OSError, ssl.SSLError) as error:
            raise InputError(f"--ca-bundle {Path(ca_bundle)}: not a readable PEM CA bundle") from error
    return context


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    default = {"https": 443, "http": 80}.get(url.scheme)
    return (url.scheme, url.host, url.port or default)


async def request(
    client: httpx.AsyncClient,
    method: str,
    url: str,
    *,
    headers: Mapping[str, str] | None = None,
    json: JsonValue | None = None,
    data: Mapping[str, str] | None = None,
    content: bytes | None = None,
    auth: httpx.Auth | None = None,
    accept: Collection[int] = (),
    max_bytes: int = DEFAULT_MAX_BYTES,
    policy: RetryPolicy | None = None,
    stats: ApiStats | None = None,
    sleeper: Sleeper = asyncio.sleep,
    secret_headers: Collection[str] = (),
    idempotent: bool | None = None,
    classify_error: ErrorClassifier | None = None,
    follow: RedirectFilter | None = None,
) -> HttpResponse:
    """Send one logical request (retries and redirects included) and return the fully read response.

    `auth` overrides the client's auth for this request. Statuses under 400, and those in `accept`, are
    returned; anything else raises `ConnectorError` with a reason (401 before any success, and
    connection/TLS failures, raise `TargetError`). `secret_headers` names extra headers to drop on a
    cross-origin redirect, besides Authorization, Cookie and the auth flow's `secret_headers`.
    `idempotent` (default: by method) allows retrying a request whose answer broke off mid-way.
    `follow` (default: every redirect) decides per redirect target; a redirect it refuses is returned.
    """
    policy = policy or RetryPolicy()
    flow_secrets = getattr(auth if auth is not None else client.auth, "secret_headers", ())
    hop = Hop(
        method=method.upper(),
        url=httpx.URL(url),
        headers=dict(headers or {}),
        json_body=json,
        data=data,
        content=content,
        secret_headers=frozenset(name.lower() for name in (*secret_headers, *flow_secrets)),
    )
    safe = idempotent if idempotent is not None else hop.method in IDEMPOTENT_METHODS
    try:
        for _ in range(MAX_REDIRECTS + 1):
            response = await send_with_retries(
                client,
                hop,
                auth=auth,
                max_bytes=max_bytes,
                policy=policy,
                stats=stats,
                sleeper=sleeper,
                idempotent=safe,
            )
            if response.status not in REDIRECT_STATUSES or response.status in accept:
                return _final(response, url, accept=accept, stats=stats, classify_error=classify_error)
            following = _redirect_target(hop, response)
            if follow is not None and not follow(following):
                logger.debug("%s: redirect to another site not followed", hop.endpoint)
                return _final(response, url, accept=accept, stats=stats, classify_error=classify_error)
            _follow(hop, response, following)
        raise ConnectorError(
            f"{endpoint_of(method, url)}: more than {MAX_REDIRECTS} redirects",
            endpoint=endpoint_of(method, url),
            reason=Reason.HTTP_ERROR,
        )
    except ConnectorError:
        if stats is not None:
            stats.failed()
        raise


def _final(
    response: HttpResponse,
    requested_url: str,
    *,
    accept: Collection[int],
    stats: ApiStats | None,
    classify_error: ErrorClassifier | None,
) -> HttpResponse:
    if response.status < 400 or response.status in accept:
        if stats is not None:
            stats.succeeded()
        return dataclasses.replace(response, requested_url=requested_url)
    reason = classify_error(response.status, response.content) if classify_error else None
    raise _status_error(response, reason=reason, authenticated=bool(stats and stats.successes))


def _status_error(response: HttpResponse, *, reason: Reason | None, authenticated: bool) -> ConnectorError:
    endpoint = response.endpoint
    if response.status == 401 and not authenticated:
        return TargetError(
            f"{endpoint}: credentials rejected (HTTP 401)",
            endpoint=endpoint,
            reason=Reason.AUTHENTICATION_FAILED,
            hint="check the token (CRMSEC_TOKEN or --credentials-file) and that it has not expired",
        )
    if response.status == 401:
        # Accepted before, refused now: the token expired or was revoked during the collection.
        return ConnectorError(
            f"{endpoint}: credentials rejected mid-collection (HTTP 401)",
            endpoint=endpoint,
            reason=Reason.AUTHENTICATION_FAILED,
        )
    if reason is None:
        reason = {
            403: Reason.PERMISSION_DENIED,
            429: Reason.RATE_LIMITED,
        }.get(response.status, Reason.HTTP_ERROR)
    return ConnectorError(f"{endpoint}: HTTP {response.status}", endpoint=endpoint, reason=reason)


def _redirect_target(hop: Hop, response: HttpResponse) -> httpx.URL:
    """The absolute URL a redirect points at; a redirect without a usable Location is malformed."""
    location = response.headers.get("location")
    endpoint = hop.endpoint
    unusable = ConnectorError(
        f"{endpoint}: redirect without a usable Location", endpoint=endpoint, reason=Reason.MALFORMED_RESPONSE
    )
    if not location:
        raise unusable
    try:
        return httpx.URL(urljoin(str(hop.url), location))
    except (httpx.InvalidURL, ValueError) as error:
        raise unusable from error


def _follow(hop: Hop, response: HttpResponse, target: httpx.URL) -> None:
    """Point `hop` at the redirect target, dropping what must not cross origins."""
    endpoint = hop.endpoint
    if hop.url.scheme == "https" and target.scheme != "https":
        raise ConnectorError(
            f"{endpoint}: refused a redirect from https to {target.scheme or 'a non-https URL'}",
            endpoint=endpoint,
            reason=Reason.HTTP_ERROR,
        )
    if _origin(target) != _origin(hop.url):
        hop.cross_origin = True
        dropped = ALWAYS_SECRET_HEADERS | hop.secret_headers
        hop.headers = {name: value for name, value in hop.headers.items() if name.lower() not in dropped}
    if response.status == 303 or (response.status in (301, 302) and hop.method == "POST"):
        hop.method, hop.json_body, hop.data, hop.content = "GET", None, None, None
    hop.url = target
    logger.debug("redirect %s -> %s", endpoint, endpoint_of(hop.method, str(target)))
