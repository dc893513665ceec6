"""The API budget of one org in a fleet scan: at most N HTTP requests, then nothing more is sent.

The budget sits on the httpx client as a request event hook, so it counts every request any connector
sends (retries and redirects included) without the connector knowing. A request beyond the budget is not
sent: the hook raises `ConnectorError(budget_exhausted)`, which the connector records as the evidence error
of every key that needed it, and the engine turns those into ERROR findings. Nothing reaches PASS without
a value. The TLS scan (sslyze) opens its own connections and is not an API request, so it is not counted.
"""

from __future__ import annotations

import threading

import httpx

from crmsec.connectors.http import endpoint_of
from crmsec.errors import ConnectorError, Reason


class RequestBudget:
    """Counts requests sent to one org and refuses those beyond `limit` (None: no limit)."""

    def __init__(self, limit: int | None) -> None:
        self.limit = limit
        self.sent = 0
        self.refused = 0
        self._lock = threading.Lock()

    @property
    def exhausted(self) -> bool:
        """Whether any request was refused."""
        return self.refused > 0

    async def __call__(self, request: httpx.Request) -> None:
        """The httpx request hook: count the request, or raise before it is sent."""
        with self._lock:
            if self.limit is None or self.sent < self.limit:
                self.sent += 1
                return
            self.refused += 1
        endpoint = endpoint_of(request.method, str(request.url))
        raise ConnectorError(
            f"{endpoint}: not sent, the fleet API budget for this org ({self.limit} requests) is used up",
            endpoint=endpoint,
            reason=Reason.BUDGET_EXHAUSTED,
            hint="raise max_requests for this target in the targets file",
        )

    def attach(self, client: httpx.AsyncClient) -> httpx.AsyncClient:
        """Install the hook on `client` (kept alongside any hooks already there) and return the client."""
        hooks = client.event_hooks
        hooks["request"] = [*hooks.get("request", []), self]
        client.event_hooks = hooks
        return client
