"""The per-org API budget: requests beyond it are never sent and become `budget_exhausted` evidence errors."""

from __future__ import annotations

import httpx
import pytest

from crmsec.connectors.http import request
from crmsec.errors import ConnectorError, Reason
from crmsec.fleet.budget import RequestBudget

pytestmark = pytest.mark.anyio


async def _no_sleep(seconds: float) -> None:
    return None


def _client(statuses: list[int], seen: list[str], budget: RequestBudget) -> httpx.AsyncClient:
    def answer(incoming: httpx.Request) -> httpx.Response:
        seen.append(incoming.url.path)
        return httpx.Response(statuses.pop(0) if statuses else 200, json={"ok": True})

    return budget.attach(httpx.AsyncClient(transport=httpx.MockTransport(answer), base_url="https://org.example"))


async def test_requests_beyond_the_budget_are_not_sent() -> None:
    seen: list[str] = []
    budget = RequestBudget(2)
    async with _client([], seen, budget) as client:
        await request(client, "GET", "https://org.example/a")
        await request(client, "GET", "https://org.example/b")
        with pytest.raises(ConnectorError) as raised:
            await request(client, "GET", "https://org.example/c?token=secret")
    assert seen == ["/a", "/b"]
    assert raised.value.reason is Reason.BUDGET_EXHAUSTED
    assert raised.value.endpoint == "GET /c"
    assert "secret" not in str(raised.value)
    assert (budget.sent, budget.refused, budget.exhausted) == (2, 1, True)


async def test_retries_count_against_the_budget() -> None:
    seen: list[str] = []
    budget = RequestBudget(1)
    async with _client([503], seen, budget) as client:
        with pytest.raises(ConnectorError) as raised:
            await request(client, "GET", "https://org.example/a", sleeper=_no_sleep)
    assert seen == ["/a"]
    assert raised.value.reason is Reason.BUDGET_EXHAUSTED


async def test_no_limit_counts_but_never_refuses() -> None:
    seen: list[str] = []
    budget = RequestBudget(None)
    async with _client([], seen, budget) as client:
        for _ in range(5):
            await request(client, "GET", "https://org.example/a")
    assert (budget.sent, budget.refused) == (5, 0)


async def test_existing_hooks_are_kept() -> None:
    called: list[str] = []

    async def earlier(incoming: httpx.Request) -> None:
        called.append(incoming.url.path)

    client = httpx.AsyncClient(
        transport=httpx.MockTransport(lambda _: httpx.Response(200)), event_hooks={"request": [earlier]}
    )
    async with RequestBudget(3).attach(client) as attached:
        await request(attached, "GET", "https://org.example/x")
    assert called == ["/x"]
