"""One exchange over the wire: send a request once, read its body under a cap, map httpx failures.

`connectors.http.request` builds on this (redirects) through `connectors.retry` (retries). What lives here:

- `Hop`: the state of one logical request (method, URL, headers, body, the secret headers to drop);
- `send_once`: one attempt, body streamed and capped after decompression (`response_too_large`), timed
  into `ApiStats` (evidence key `stability.api`, and the Recorder's API-call count);
- `HttpResponse`: the fully read answer; `endpoint_of`: `METHOD /path` for errors and evidence sources;
- `map_transport_error`: httpx and ssl exceptions to `ConnectorError` / `TargetError`, once, here;
- `without_lone_surrogates`: JSON escapes such as `"\\udc80"` decode to strings that are not valid Unicode,
  which no canonical JSON or UTF-8 writer accepts; `HttpResponse.json` replaces them with U+FFFD, here,
  once, for every connector.

Nothing here logs a header or a body; log lines hold the method, the path and the status only.
"""

from __future__ import annotations

import json
import logging
import math
import re
import ssl
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx

from crmsec.connectors.base import Recorder
from crmsec.errors import ConnectorError, Reason, TargetError
from crmsec.vocabulary import JsonValue

logger = logging.getLogger(__name__)

MiB = 1024 * 1024
DEFAULT_MAX_BYTES = 32 * MiB
ALWAYS_SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie"})
REPLACEMENT_CHARACTER = "\ufffd"
_SURROGATE_BYTES = re.compile(rb"\xed[\xa0-\xbf]")
"""The (invalid) UTF-8 bytes of a surrogate, which `json.loads` lets through."""
_SURROGATE = re.compile("[\ud800-\udfff]")


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
    """A fully read response: status, headers, body bytes (within the cap) and final URL.

    `requested_url` is where the logical request started, before any redirect (`connectors.http.request`
    sets it; empty for a bare `send_once`).
    """

    status: int
    headers: httpx.Headers
    content: bytes
    url: str
    endpoint: str
    elapsed_ms: float = 0.0
    requested_url: str = ""

    def json(self) -> Any:
        """The body parsed as JSON, with lone surrogates replaced by U+FFFD (`without_lone_surrogates`).

        Anything that is not JSON raises ConnectorError `malformed_response`.
        """
        try:
            document = json.loads(self.content, parse_constant=_refuse_constant)
            if _may_hold_surrogates(self.content):
                document = without_lone_surrogates(document)
            return document
        except (ValueError, RecursionError) as error:
            raise ConnectorError(
                f"{self.endpoint}: the response is not valid JSON",
                endpoint=self.endpoint,
                reason=Reason.MALFORMED_RESPONSE,
            ) from error


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"non-standard JSON constant {name}")


def _may_hold_surrogates(content: bytes) -> bool:
    """A cheap test on the raw body: False guarantees the parsed document holds no surrogate.

    A UTF-8 body can only produce one from a `\\uD8..`-`\\uDF..` escape (a valid pair is joined by the
    parser, but it still counts here) or from surrogate bytes (ED A0-BF, never valid UTF-8, which the
    parser lets through). Plain substring searches come first: they are several times faster than a
    regular expression over a body full of `\\u00e9`-style escapes, and a false alarm (`\\ud55c`, Hangul)
    only costs a walk. UTF-16 and UTF-32 bodies are rare: always walk them.
    """
    if json.detect_encoding(content) != "utf-8" or b"\\ud" in content or b"\\uD" in content:
        return True
    return b"\xed" in content and _SURROGATE_BYTES.search(content) is not None


def without_lone_surrogates(value: Any) -> Any:
    """Parsed JSON with every surrogate code point in keys and strings replaced by U+FFFD.

    After parsing, a surrogate in a str is always a lone one (pairs are joined), and a lone surrogate is
    not Unicode: RFC 8785 and UTF-8 refuse it, so one CRM record holding `"\\udc80"` would fail the whole
    snapshot. Two keys that differ only in such characters collapse into one (the last wins).
    """
    if isinstance(value, str):
        return value if value.isascii() else _SURROGATE.sub(REPLACEMENT_CHARACTER, value)
    if isinstance(value, dict):
        return {without_lone_surrogates(key): without_lone_surrogates(item) for key, item in value.items()}
    if isinstance(value, list):
        return [without_lone_surrogates(item) for item in value]
    return value


def endpoint_of(method: str, url: str) -> str:
    """`METHOD /path`: what errors and evidence sources name; never the query string or user-info."""
    return f"{method.upper()} {urlsplit(url).path or '/'}"


@dataclass(slots=True)
class Hop:
    """The state of one logical request while it follows redirects."""

    method: str
    url: httpx.URL
    headers: dict[str, str]
    json_body: JsonValue | None
    data: Mapping[str, str] | None
    content: bytes | None = None
    cross_origin: bool = False
    secret_headers: frozenset[str] = field(default_factory=frozenset)

    @property
    def endpoint(self) -> str:
        """`METHOD /path` of where the hop points now."""
        return endpoint_of(self.method, str(self.url))


async def send_once(
    client: httpx.AsyncClient,
    hop: Hop,
    *,
    auth: httpx.Auth | None,
    max_bytes: int,
    stats: ApiStats | None,
) -> HttpResponse:
    """One attempt: send `hop`, read the body under `max_bytes`; httpx errors propagate unmapped."""
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
    endpoint = hop.endpoint
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


def tls_cause(error: BaseException) -> ssl.SSLError | None:
    """The ssl error somewhere in the cause/context chain of `error`, if any."""
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
    tls = tls_cause(error)
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
