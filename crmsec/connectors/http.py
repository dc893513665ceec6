"""The one HTTP client factory, and the one place httpx exceptions become crmsec errors.

Every connector gets its `httpx.AsyncClient` from `make_client` (TLS verification always on, explicit
timeouts, no automatic redirects) and sends through `request`, which:

- streams the body and stops at a cap counted after decompression (`response_too_large`);
- retries 429, 5xx, connection failures and (for idempotent requests) broken reads, with exponential
  backoff that honours `Retry-After` up to a ceiling, sleeping through an injectable sleeper;
- follows redirects itself: a hop to another origin drops `Authorization`, `Cookie` and every header the
  auth flow marks secret (and the auth flow itself), and a hop from https to http is refused;
- maps httpx and ssl exceptions once, here, to `ConnectorError` / `TargetError` with
  `endpoint` = method + path (never the query string, never a token);
- feeds `ApiStats` (evidence key `stability.api`) and counts API calls on the `Recorder`.

Nothing here logs a header or a body; log lines hold the method, the path and the status only.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import logging
import math
import ssl
import time
from collections.abc import Awaitable, Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import certifi
import httpx

from crmsec import __version__
from crmsec.connectors.base import Recorder
from crmsec.errors import ConnectorError, InputError, Reason, TargetError
from crmsec.plugin import JsonValue
from crmsec.target import Target

logger = logging.getLogger(__name__)

MiB = 1024 * 1024
DEFAULT_MAX_BYTES = 32 * MiB
USER_AGENT = f"crmsec/{__version__}"
ALWAYS_SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie"})
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MAX_REDIRECTS = 5

Sleeper = Callable[[float], Awaitable[None]]
ErrorClassifier = Callable[[int, bytes], Reason | None]
"""Maps (status, capped error body) to a reason, e.g. Salesforce's 403 REQUEST_LIMIT_EXCEEDED."""


def make_client(target: Target, *, timeout: float = 30.0, max_connections: int = 10) -> httpx.AsyncClient:
    """An AsyncClient for `target`: verified TLS (system/certifi roots plus `target.ca_bundle`), explicit
    timeouts, connection reuse, no automatic redirects and a `crmsec/<version>` User-Agent.

    There is deliberately no way to turn verification off; a private CA goes in `--ca-bundle`.
    """
    limits = httpx.Limits(max_connections=max_connections, max_keepalive_connections=max_connections)
    timeouts = httpx.Timeout(connect=min(timeout, 10.0), read=timeout, write=timeout, pool=timeout)
    return httpx.AsyncClient(
        verify=ssl_context(target),
        timeout=timeouts,
        limits=limits,
        follow_redirects=False,
        headers={"User-Agent": USER_AGENT},
        trust_env=False,
    )


def ssl_context(target: Target) -> ssl.SSLContext:
    """A verifying client context: certifi's roots, the system's, and the target's CA bundle if any."""
    context = ssl.create_default_context(cafile=certifi.where())
    context.load_default_certs()
    if target.ca_bundle is not None:
        try:
            context.load_verify_locations(cafile=str(target.ca_bundle))
        except (OSError, ssl.SSLError) as error:
            raise InputError(f"--ca-bundle {target.ca_bundle}: not a readable PEM CA bundle") from error
    return context


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often and how long `request` waits before trying again."""

    retries: int = 3
    backoff_base: float = 0.5
    backoff_max: float = 8.0
    retry_after_ceiling: float = 30.0
    """A Retry-After above this is not waited for: the request fails with `rate_limited`."""

    def delay(self, attempt: int, retry_after: float | None) -> float | None:
        """Seconds to wait before retry number `attempt` (0-based); None when waiting is pointless."""
        if retry_after is not None:
            return retry_after if retry_after <= self.retry_after_ceiling else None
        return float(min(self.backoff_max, self.backoff_base * (2**attempt)))


class ApiStats:
    """Request statistics for the evidence key `stability.api`, plus the API-call count on a Recorder.

    Each attempt that reaches the server counts as one API call and one request; a failed final
    outcome counts as one error.
    """

    def __init__(self, recorder: Recorder | None = None) -> None:
        self.recorder = recorder
        self.requests = 0
        self.errors = 0
        self.successes = 0
        self._latencies: list[float] = []

    def sent(self, latency_seconds: float) -> None:
        """One request went out and an answer (or a failure) came back after `latency_seconds`."""
        self.requests += 1
        self._latencies.append(latency_seconds * 1000.0)
        if self.recorder is not None:
            self.recorder.api_calls += 1

    def failed(self) -> None:
        """One logical request ended in an error."""
        self.errors += 1

    def succeeded(self) -> None:
        """One logical request ended well (used to tell rejected credentials from a later expiry)."""
        self.successes += 1

    def to_evidence(self) -> dict[str, JsonValue]:
        """`{requests, errors, latency_ms: {p50, p95, max}}` with milliseconds rounded to 0.1."""
        ordered = sorted(self._latencies)
        latency: dict[str, JsonValue] = {
            "p50": _percentile(ordered, 0.50),
            "p95": _percentile(ordered, 0.95),
            "max": round(ordered[-1], 1) if ordered else None,
        }
        return {"requests": self.requests, "errors": self.errors, "latency_ms": latency}


def _percentile(ordered: list[float], share: float) -> float | None:
    if not ordered:
        return None
    index = max(0, math.ceil(share * len(ordered)) - 1)
    return round(ordered[index], 1)


@dataclass(frozen=True, slots=True)
class HttpResponse:
    """A fully read response: status, headers, body bytes (within the cap) and final URL."""

    status: int
    headers: httpx.Headers
    content: bytes
    url: str
    endpoint: str
    elapsed_ms: float = 0.0

    def json(self) -> Any:
        """The body parsed as JSON; anything else raises ConnectorError `malformed_response`."""
        try:
            return json.loads(self.content, parse_constant=_refuse_constant)
        except (ValueError, RecursionError) as error:
            raise ConnectorError(
                f"{self.endpoint}: the response is not valid JSON",
                endpoint=self.endpoint,
                reason=Reason.MALFORMED_RESPONSE,
            ) from error


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"non-standard JSON constant {name}")


def endpoint_of(method: str, url: str) -> str:
    """`METHOD /path`: what errors and evidence sources name; never the query string or user-info."""
    return f"{method.upper()} {urlsplit(url).path or '/'}"


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    default = {"https": 443, "http": 80}.get(url.scheme)
    return (url.scheme, url.host, url.port or default)


@dataclass(slots=True)
class _Hop:
    """The state of one logical request while it follows redirects."""

    method: str
    url: httpx.URL
    headers: dict[str, str]
    json_body: JsonValue | None
    data: Mapping[str, str] | None
    content: bytes | None = None
    cross_origin: bool = False
    secret_headers: frozenset[str] = field(default_factory=frozenset)


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
) -> HttpResponse:
    """Send one logical request (retries and redirects included) and return the fully read response.

    `auth` overrides the client's auth for this request. Statuses under 400, and those in `accept`, are
    returned; anything else raises `ConnectorError` with a reason (401 before any success, and
    connection/TLS failures, raise `TargetError`). `secret_headers` names extra headers to drop on a
    cross-origin redirect, besides Authorization, Cookie and the auth flow's `secret_headers`.
    `idempotent` (default: by method) allows retrying a request whose answer broke off mid-way.
    """
    policy = policy or RetryPolicy()
    flow_secrets = getattr(auth if auth is not None else client.auth, "secret_headers", ())
    hop = _Hop(
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
            response = await _send_with_retries(
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
                return _final(response, accept=accept, stats=stats, classify_error=classify_error)
            _follow(hop, response)
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
    *,
    accept: Collection[int],
    stats: ApiStats | None,
    classify_error: ErrorClassifier | None,
) -> HttpResponse:
    if response.status < 400 or response.status in accept:
        if stats is not None:
            stats.succeeded()
        return response
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
    if reason is None:
        reason = {
            401: Reason.PERMISSION_DENIED,
            403: Reason.PERMISSION_DENIED,
            429: Reason.RATE_LIMITED,
        }.get(response.status, Reason.HTTP_ERROR)
    return ConnectorError(f"{endpoint}: HTTP {response.status}", endpoint=endpoint, reason=reason)


def _follow(hop: _Hop, response: HttpResponse) -> None:
    """Point `hop` at the redirect target, dropping what must not cross origins."""
    location = response.headers.get("location")
    endpoint = endpoint_of(hop.method, str(hop.url))
    if not location:
        raise ConnectorError(
            f"{endpoint}: redirect without a Location", endpoint=endpoint, reason=Reason.MALFORMED_RESPONSE
        )
    target = httpx.URL(urljoin(str(hop.url), location))
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


async def _send_with_retries(
    client: httpx.AsyncClient,
    hop: _Hop,
    *,
    auth: httpx.Auth | None,
    max_bytes: int,
    policy: RetryPolicy,
    stats: ApiStats | None,
    sleeper: Sleeper,
    idempotent: bool,
) -> HttpResponse:
    """Send `hop`, retrying what is worth retrying; the last answer or error is returned or raised."""
    endpoint = endpoint_of(hop.method, str(hop.url))
    for attempt in range(policy.retries + 1):
        last = attempt == policy.retries
        try:
            response = await _send_once(client, hop, auth=auth, max_bytes=max_bytes, stats=stats)
        except httpx.TransportError as error:
            mapped = map_transport_error(error, endpoint=endpoint, host=hop.url.host)
            if last or not _retryable_transport(error, idempotent=idempotent):
                raise mapped from error
            delay: float | None = policy.delay(attempt, None)
            logger.debug("%s failed (%s), retrying", endpoint, mapped.reason)
        else:
            if last or not _retryable_status(response.status, idempotent=idempotent):
                return response
            delay = policy.delay(attempt, retry_after_seconds(response.headers))
            if delay is None:
                return response
            logger.debug("%s answered %d, retrying in %.1fs", endpoint, response.status, delay)
        if delay is not None:
            await sleeper(delay)
    raise AssertionError("unreachable: the last attempt returns or raises")  # pragma: no cover


def _retryable_status(status: int, *, idempotent: bool) -> bool:
    # 429 and 503 say the request was not processed; other 5xx may have been, so only idempotent ones.
    return status in (429, 503) or (idempotent and status in RETRY_STATUSES)


def _retryable_transport(error: httpx.TransportError, *, idempotent: bool) -> bool:
    if _tls_cause(error) is not None:
        return False
    if isinstance(error, httpx.ConnectError | httpx.ConnectTimeout):
        return True
    return idempotent and isinstance(error, httpx.ReadError | httpx.RemoteProtocolError | httpx.ReadTimeout)


async def _send_once(
    client: httpx.AsyncClient,
    hop: _Hop,
    *,
    auth: httpx.Auth | None,
    max_bytes: int,
    stats: ApiStats | None,
) -> HttpResponse:
    request = client.build_request(
        hop.method, hop.url, headers=hop.headers, json=hop.json_body, data=hop.data, content=hop.content
    )
    request_auth: httpx.Auth | httpx._client.UseClientDefault | None = (
        auth if auth is not None else httpx.USE_CLIENT_DEFAULT
    )
    if hop.cross_origin:
        request_auth = None  # the auth flow must not sign requests to another origin
        for name in ALWAYS_SECRET_HEADERS | hop.secret_headers:
            if name in request.headers:
                del request.headers[name]
    endpoint = endpoint_of(hop.method, str(hop.url))
    started = time.perf_counter()
    try:
        response = await client.send(request, auth=request_auth, stream=True)
        try:
            content = await _read_capped(response, max_bytes=max_bytes, endpoint=endpoint)
        finally:
            await response.aclose()
    finally:
        elapsed = time.perf_counter() - started
        if stats is not None:
            stats.sent(elapsed)
    logger.debug("%s -> %d (%.0f ms, %d bytes)", endpoint, response.status_code, elapsed * 1000, len(content))
    return HttpResponse(
        status=response.status_code,
        headers=response.headers,
        content=content,
        url=str(response.url),
        endpoint=endpoint,
        elapsed_ms=round(elapsed * 1000, 1),
    )


async def _read_capped(response: httpx.Response, *, max_bytes: int, endpoint: str) -> bytes:
    """The decoded body, refusing to hold more than `max_bytes` after decompression."""
    chunks: list[bytes] = []
    total = 0
    async for chunk in response.aiter_bytes():
        total += len(chunk)
        if total > max_bytes:
            raise ConnectorError(
                f"{endpoint}: response body exceeds {max_bytes} bytes",
                endpoint=endpoint,
                reason=Reason.RESPONSE_TOO_LARGE,
            )
        chunks.append(chunk)
    return b"".join(chunks)


def retry_after_seconds(headers: httpx.Headers, *, now: datetime | None = None) -> float | None:
    """The Retry-After header in seconds (delta-seconds or an HTTP date), or None when absent/invalid."""
    value = headers.get("retry-after", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - (now or datetime.now(UTC))).total_seconds())


def _tls_cause(error: BaseException) -> ssl.SSLError | None:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if isinstance(current, ssl.SSLError):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


def map_transport_error(error: httpx.TransportError, *, endpoint: str, host: str) -> ConnectorError:
    """Translate an httpx transport failure into a ConnectorError (TargetError for the whole target)."""
    tls = _tls_cause(error)
    if isinstance(tls, ssl.SSLCertVerificationError):
        detail = tls.verify_message or "certificate verify failed"
        return TargetError(
            f"TLS verification failed for {host}: {detail}",
            endpoint=endpoint,
            reason=Reason.TLS_ERROR,
            hint="pass the server's CA with --ca-bundle (verification cannot be turned off)",
        )
    if tls is not None:
        return TargetError(
            f"TLS handshake with {host} failed ({tls.reason or type(tls).__name__})",
            endpoint=endpoint,
            reason=Reason.TLS_ERROR,
        )
    if isinstance(error, httpx.ConnectTimeout):
        return TargetError(f"{host}: timed out connecting", endpoint=endpoint, reason=Reason.UNREACHABLE)
    if isinstance(error, httpx.ConnectError):
        return TargetError(
            f"{host}: cannot connect (DNS failure or connection refused)",
            endpoint=endpoint,
            reason=Reason.UNREACHABLE,
            hint="check the URL and that the host is reachable from here",
        )
    return _request_transport_error(error, endpoint=endpoint)


def _request_transport_error(error: httpx.TransportError, *, endpoint: str) -> ConnectorError:
    if isinstance(error, httpx.TimeoutException):
        return ConnectorError(
            f"{endpoint}: timed out ({type(error).__name__})", endpoint=endpoint, reason=Reason.TIMEOUT
        )
    if isinstance(error, httpx.DecodingError):
        return ConnectorError(
            f"{endpoint}: the body could not be decoded", endpoint=endpoint, reason=Reason.MALFORMED_RESPONSE
        )
    if isinstance(error, httpx.RemoteProtocolError | httpx.ReadError):
        return ConnectorError(
            f"{endpoint}: the connection broke off before the response was complete",
            endpoint=endpoint,
            reason=Reason.MALFORMED_RESPONSE,
        )
    return ConnectorError(f"{endpoint}: {type(error).__name__}", endpoint=endpoint, reason=Reason.HTTP_ERROR)
