"""Retries: which failures are worth another attempt, how long to wait, and `Retry-After`.

`send_with_retries` retries 429, 503, connection failures and (for idempotent requests) other 5xx and
broken reads, with exponential backoff that honours `Retry-After` up to a ceiling, sleeping through an
injectable sleeper (tests pass a recording one; nothing here calls `time.sleep`). The last answer is
returned and the last error raised: nothing is swallowed.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx

from crmsec.connectors.exchange import ApiStats, Hop, HttpResponse, map_transport_error, send_once, tls_cause

logger = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
Sleeper = Callable[[float], Awaitable[None]]


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


async def send_with_retries(
    client: httpx.AsyncClient,
    hop: Hop,
    *,
    auth: httpx.Auth | None,
    max_bytes: int,
    policy: RetryPolicy,
    stats: ApiStats | None,
    sleeper: Sleeper = asyncio.sleep,
    idempotent: bool,
) -> HttpResponse:
    """Send `hop`, retrying what is worth retrying; the last answer or error is returned or raised."""
    endpoint = hop.endpoint
    for attempt in range(policy.retries + 1):
        last = attempt == policy.retries
        try:
            response = await send_once(client, hop, auth=auth, max_bytes=max_bytes, stats=stats)
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
    if tls_cause(error) is not None:
        return False
    if isinstance(error, httpx.ConnectError | httpx.ConnectTimeout):
        return True
    return idempotent and isinstance(error, httpx.ReadError | httpx.RemoteProtocolError | httpx.ReadTimeout)


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
