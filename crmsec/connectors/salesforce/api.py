"""Salesforce REST, Tooling and Metadata API calls: bounded concurrency, paging, composite, and the budget.

Every call goes through `connectors.http.request` under a semaphore (`concurrency`). The API-call budget
comes from the `Sforce-Limit-Info: api-usage=USED/MAX` header: the first answer fixes how many calls this
collection may make (`budget_share` of what remained, default 50%), and a call beyond that raises
`ConnectorError(budget_exhausted)` instead of being sent.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urlencode

import httpx

from crmsec.connectors.http import ApiStats, HttpResponse, RetryPolicy, Sleeper, request
from crmsec.errors import ConnectorError, Reason
from crmsec.target import Target

DEFAULT_API_VERSION = "62.0"
_USAGE = re.compile(r"api-usage=(\d+)/(\d+)")
_NO_SUCH_COLUMN = re.compile(r"No such column '(\w+)' on entity '(\w+)'")
MAX_PAGES = 1000


def classify_error(status: int, body: bytes) -> Reason | None:
    """Salesforce signals an exhausted daily limit with 403 REQUEST_LIMIT_EXCEEDED, not 429."""
    if status in (403, 429) and b"REQUEST_LIMIT_EXCEEDED" in body[:2000]:
        return Reason.RATE_LIMITED
    if status == 400 and b"INVALID_TYPE" in body[:2000]:
        return Reason.NOT_SUPPORTED
    if status == 404:
        return Reason.NOT_SUPPORTED
    return None


class Budget:
    """How many API calls this collection may still make (unknown until the first limit header)."""

    def __init__(self, share: float, *, hard_limit: int | None = None) -> None:
        self.share = share
        self.allowed: int | None = hard_limit
        self.used = 0
        self.daily_used: int | None = None
        self.daily_max: int | None = None
        self.exhausted = False
        self._fixed = False

    def observe(self, header: str | None) -> None:
        """Read `Sforce-Limit-Info`; the first one sets the allowance."""
        match = _USAGE.search(header or "")
        if match is None:
            return
        self.daily_used, self.daily_max = int(match.group(1)), int(match.group(2))
        if not self._fixed:
            allowance = self.used + self._share_of_remaining()
            self.allowed = allowance if self.allowed is None else min(self.allowed, allowance)
            self._fixed = True

    def _share_of_remaining(self) -> int:
        assert self.daily_used is not None and self.daily_max is not None
        return int(max(0, self.daily_max - self.daily_used) * self.share)

    def spend(self, endpoint: str) -> None:
        """Count one call, or raise `budget_exhausted` when the allowance is used up."""
        if self.allowed is not None and self.used >= self.allowed:
            self.exhausted = True
            raise ConnectorError(
                f"{endpoint}: not sent, the API-call budget for this collection ({self.allowed} calls) is used up",
                endpoint=endpoint,
                reason=Reason.BUDGET_EXHAUSTED,
            )
        self.used += 1


class SalesforceApi:
    """One collection's view of the org's APIs."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        target: Target,
        *,
        auth: httpx.Auth,
        stats: ApiStats,
        budget: Budget,
        concurrency: int = 16,
        api_version: str = DEFAULT_API_VERSION,
        sleeper: Sleeper = asyncio.sleep,
        policy: RetryPolicy | None = None,
    ) -> None:
        self.client = client
        self.base = target.url.rstrip("/")
        self.auth = auth
        self.stats = stats
        self.budget = budget
        self.version = api_version
        self._semaphore = asyncio.Semaphore(max(1, concurrency))
        self._sleeper = sleeper
        self._policy = policy or RetryPolicy()

    @property
    def data_path(self) -> str:
        """`/services/data/vXX.X`."""
        return f"/services/data/v{self.version}"

    async def send(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        count: bool = True,
        headers: dict[str, str] | None = None,
        content_type: str | None = None,
        body: bytes | None = None,
    ) -> HttpResponse:
        """One request to the org (path relative to the instance), within concurrency and budget."""
        endpoint = f"{method} {path.split('?', 1)[0]}"
        if count:
            self.budget.spend(endpoint)
        all_headers = dict(headers or {})
        if content_type:
            all_headers["Content-Type"] = content_type
        invalid_fields: list[str] = []

        def classify(status: int, content: bytes) -> Reason | None:
            if status == 400 and b"INVALID_FIELD" in content[:4000]:
                invalid_fields.append(invalid_field(content))
            return classify_error(status, content)

        async with self._semaphore:
            if body is not None:
                response = await self._send_raw(method, path, all_headers, body)
            else:
                try:
                    response = await request(
                        self.client,
                        method,
                        self.base + path,
                        headers=all_headers,
                        json=json,
                        auth=self.auth,
                        stats=self.stats,
                        sleeper=self._sleeper,
                        policy=self._policy,
                        idempotent=True,
                        classify_error=classify,
                    )
                except ConnectorError as error:
                    if not invalid_fields:
                        raise
                    message = f"{error.endpoint}: HTTP 400 INVALID_FIELD, {invalid_fields[-1]}"
                    raise ConnectorError(message, endpoint=error.endpoint, reason=error.reason) from error
        self.budget.observe(response.headers.get("sforce-limit-info"))
        return response

    async def _send_raw(self, method: str, path: str, headers: dict[str, str], body: bytes) -> HttpResponse:
        # The Metadata API answers faults with HTTP 500 and a SOAP body: accept it and let the caller read it.
        return await request(
            self.client,
            method,
            self.base + path,
            headers=headers,
            auth=self.auth,
            stats=self.stats,
            sleeper=self._sleeper,
            policy=RetryPolicy(retries=1),
            idempotent=True,
            accept=(500,),
            content=body,
        )

    async def get_json(self, path: str, *, count: bool = True) -> Any:
        """GET `path` and parse the JSON body."""
        return (await self.send("GET", path, count=count)).json()

    async def query(
        self,
        soql: str,
        *,
        tooling: bool = False,
        limit_rows: int | None = None,
        on_page: Callable[[list[dict[str, Any]]], None] | None = None,
    ) -> list[dict[str, Any]]:
        """Every record of `soql`, following nextRecordsUrl (at most `limit_rows` when given).

        With `on_page`, pages are handed over as they arrive and not kept (constant memory for big tables).
        """
        prefix = f"{self.data_path}/tooling" if tooling else self.data_path
        path = f"{prefix}/query?{urlencode({'q': soql}, quote_via=quote)}"
        page = await self.get_json(path)
        return await self.follow(page, endpoint=f"GET {prefix}/query", limit_rows=limit_rows, on_page=on_page)

    async def follow(
        self,
        page: Any,
        *,
        endpoint: str,
        limit_rows: int | None = None,
        on_page: Callable[[list[dict[str, Any]]], None] | None = None,
    ) -> list[dict[str, Any]]:
        """The records of a first query page (from a GET or a composite subrequest) and of every later page.

        Pages are fetched through `nextRecordsUrl` until `done` is true: a page that says it is not the last
        but names no next page, or a later page that fails, raises, so a list is never silently cut short.
        """
        records: list[dict[str, Any]] = []
        seen = 0
        for _ in range(MAX_PAGES):
            batch = _records(page, endpoint)
            seen += len(batch)
            if on_page is not None:
                on_page(batch)
            else:
                records.extend(batch)
            if limit_rows and seen >= limit_rows:
                return records[:limit_rows]
            done, next_url = page.get("done"), page.get("nextRecordsUrl")
            if done is True:
                return records
            if done is not False or not isinstance(next_url, str) or not next_url.startswith("/services/data/"):
                raise _malformed(endpoint, "a query page that is not the last names no nextRecordsUrl")
            page = await self.get_json(next_url)
        raise ConnectorError(
            f"{endpoint}: more than {MAX_PAGES} pages", endpoint=endpoint, reason=Reason.RESPONSE_TOO_LARGE
        )

    async def count(self, soql: str) -> int:
        """The totalSize of a `SELECT COUNT() ...` query."""
        page = await self.get_json(f"{self.data_path}/query?{urlencode({'q': soql}, quote_via=quote)}")
        total = page.get("totalSize") if isinstance(page, dict) else None
        if not isinstance(total, int):
            raise _malformed(f"GET {self.data_path}/query", "totalSize is missing")
        return total

    async def composite(self, subrequests: dict[str, str], *, tooling: bool = False) -> dict[str, tuple[int, Any]]:
        """GET subrequests (reference id -> path) in one composite call: reference id -> (status, body)."""
        path = f"{self.data_path}/tooling/composite" if tooling else f"{self.data_path}/composite"
        body = {
            "allOrNone": False,
            "compositeRequest": [
                {"method": "GET", "referenceId": reference, "url": url} for reference, url in subrequests.items()
            ],
        }
        document = (await self.send("POST", path, json=body)).json()
        answers = document.get("compositeResponse") if isinstance(document, dict) else None
        if not isinstance(answers, list):
            raise _malformed(f"POST {path}", "compositeResponse is missing")
        results: dict[str, tuple[int, Any]] = {}
        for answer in answers:
            if isinstance(answer, dict) and isinstance(answer.get("referenceId"), str):
                results[answer["referenceId"]] = (int(answer.get("httpStatusCode", 0)), answer.get("body"))
        return results


def _records(page: Any, endpoint: str) -> list[dict[str, Any]]:
    if not isinstance(page, dict) or not isinstance(page.get("records"), list):
        raise _malformed(endpoint, "a query page without records")
    return [record for record in page["records"] if isinstance(record, dict)]


def _malformed(endpoint: str, message: str) -> ConnectorError:
    return ConnectorError(f"{endpoint}: {message}", endpoint=endpoint, reason=Reason.MALFORMED_RESPONSE)


def invalid_field(content: bytes | Any) -> str:
    """What an INVALID_FIELD answer says is missing, as `Object.Field` (only names, never the rest of the body)."""
    try:
        document = json.loads(content) if isinstance(content, bytes) else content
    except ValueError:
        document = None
    entries = document if isinstance(document, list) else []
    messages = [str(entry.get("message")) for entry in entries if isinstance(entry, dict)]
    found = next((match for text in messages if (match := _NO_SUCH_COLUMN.search(text))), None)
    if found is None:
        return "a field the query names does not exist in this org"
    return f"this org has no field {found.group(2)}.{found.group(1)}"


def subrequest_error(reference: str, status: int, body: Any, *, endpoint: str) -> ConnectorError:
    """A ConnectorError for one failed composite subrequest (the error code, never the body's message)."""
    code = body[0].get("errorCode") if isinstance(body, list) and body and isinstance(body[0], dict) else None
    reason = {403: Reason.PERMISSION_DENIED, 401: Reason.AUTHENTICATION_FAILED, 404: Reason.NOT_SUPPORTED}.get(
        status, Reason.HTTP_ERROR
    )
    if code == "INVALID_TYPE":
        reason = Reason.NOT_SUPPORTED
    detail = f", {invalid_field(body)}" if code == "INVALID_FIELD" else ""
    return ConnectorError(
        f"{endpoint} ({reference}): HTTP {status} {code or ''}".strip() + detail, endpoint=endpoint, reason=reason
    )
