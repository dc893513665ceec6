"""Talking to a Tryton server over its JSON-RPC: login, the session header, read-only model calls.

Tryton (`trytond`) answers JSON-RPC at `POST /<database>/rpc/` (and `POST /rpc/` for the few calls that
need no database). A request is `{"id": n, "method": "<name>", "params": [...]}`; the answer is
`{"id": n, "result": ...}` or `{"id": n, "error": [...]}` with HTTP 200, except that the server answers
401 to a call without a valid session, 403 to a method that is not exposed and 429 when login is throttled
(`trytond/protocols/dispatcher.py`, `trytond/protocols/jsonrpc.py`).

- `common.db.login(login, {"password": ...}, language)` returns `[user_id, session_key, bus_url]`.
- Later calls carry `Authorization: Session base64(login:user_id:session_key)`; `common.db.logout` ends
  the session when the collection is done.
- Model calls are `model.<model>.<method>`: we use `search_read(domain, offset, limit, order, fields,
  context)` and `search_count(domain, context)` only, which never write.

Dates come as `{"__class__": "datetime", "year": ...}` objects (`trytond/protocols/jsonrpc.py`);
`timestamp_of` turns them into evidence timestamps. Errors never carry the server's message (it may hold
record data): a `UserError` answer (an access right or record rule refused the read) is
`permission_denied`, any other error answer is `http_error`.
"""

from __future__ import annotations

import base64
import datetime as dt
import itertools
from collections.abc import Generator, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx

from crmsec.connectors.http import ApiStats, RetryPolicy, request
from crmsec.errors import ConnectorError, InputError, Reason, TargetError
from crmsec.evidence import timestamp
from crmsec.target import Secret, Target
from crmsec.vocabulary import JsonValue

PAGE_SIZE = 500
MAX_RECORDS = 20_000
DEFAULT_LANGUAGE = "en"
LOGIN_POLICY = RetryPolicy(retries=0)
"""A login is sent once: each one opens a session, and trytond's 429 lasts until `[session] timeout` ends."""
LOGIN_REFUSALS = {
    401: "the login or password was refused",
    403: "the server refused the login",
    404: "the database was not found on this server",
    429: "login is throttled (HTTP 429: too many failed attempts)",
}


class TrytonSessionAuth(httpx.Auth):
    """Sends Tryton's `Authorization: Session base64(login:user_id:key)` header."""

    secret_headers = frozenset({"authorization"})

    def __init__(self, login: str, user_id: int, key: Secret) -> None:
        self._login = login
        self._user_id = user_id
        self._key = key

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Add the header and send."""
        raw = f"{self._login}:{self._user_id}:{self._key.reveal()}".encode()
        request.headers["Authorization"] = f"Session {base64.b64encode(raw).decode('ascii')}"
        yield request


@dataclass(frozen=True, slots=True)
class Credentials:
    """Who signs in: the database, the login name and the password (a Secret)."""

    database: str
    login: str
    password: Secret


def credentials_of(target: Target) -> Credentials:
    """The database (option `database`), login (option `user` or the credentials file's `username`) and
    password (CRMSEC_TOKEN or the credentials file's `password`); anything missing is an InputError."""
    database = target.options.get("database", "").strip()
    if not database or "/" in database:
        raise InputError(
            "option database=NAME is required for Tryton (the database the server serves)",
            hint="pass --option database=<name>",
        )
    user = target.options.get("user") or _revealed(target.credentials.get("username"))
    if not user:
        raise InputError("no Tryton login: pass --option user=LOGIN or username=... in --credentials-file")
    password = target.credentials.get("password") or target.secret
    if password is None:
        raise InputError("no Tryton password: put it in CRMSEC_TOKEN or password=... in --credentials-file")
    return Credentials(database=database, login=user, password=password)


def _revealed(value: Secret | None) -> str:
    return value.reveal().strip() if value is not None else ""


def timestamp_of(value: Any) -> str | None:
    """A Tryton datetime/date object (or ISO string) as an evidence timestamp; anything else is None.

    Tryton stores naive timestamps in UTC (`trytond/model/modelsql.py` uses CurrentTimestamp in UTC).
    """
    if isinstance(value, dict) and value.get("__class__") in ("datetime", "date"):
        try:
            moment = dt.datetime(
                int(value["year"]), int(value["month"]), int(value["day"]),
                int(value.get("hour", 0)), int(value.get("minute", 0)), int(value.get("second", 0)),
                tzinfo=dt.UTC,
            )  # fmt: skip
        except (KeyError, TypeError, ValueError):
            return None
        return timestamp(moment)
    if isinstance(value, str) and value:
        try:
            parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
        return timestamp(parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC))
    return None


def flag(value: Any) -> bool | None:
    """A Tryton boolean (SQLite answers 0/1) as a bool; anything else is None."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    return None


@dataclass(slots=True)
class TrytonRpc:
    """One collection's JSON-RPC session: base URL, database, statistics and (after login) the auth flow."""

    client: httpx.AsyncClient
    base_url: str
    database: str
    stats: ApiStats
    auth: httpx.Auth | None = None
    user_id: int | None = None
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def url(self, path: str) -> str:
        """The absolute URL of a server path."""
        return f"{self.base_url.rstrip('/')}{path}"

    @property
    def rpc_path(self) -> str:
        """The database's JSON-RPC path."""
        return f"/{self.database}/rpc/"

    async def call(self, method: str, params: Sequence[Any], *, database: bool = True) -> Any:
        """One JSON-RPC call; returns `result`, raises ConnectorError for an error answer or status."""
        path = self.rpc_path if database else "/rpc/"
        endpoint = f"POST {path} {method}"
        body: JsonValue = {"id": next(self._ids), "method": method, "params": list(params)}
        try:
            response = await request(
                self.client, "POST", self.url(path), json=body, auth=self.auth or _NO_AUTH,
                headers={"Accept": "application/json"}, stats=self.stats, idempotent=True,
            )  # fmt: skip
        except TargetError:
            raise
        except ConnectorError as error:
            raise ConnectorError(f"{endpoint}: {error.reason.value}", endpoint=endpoint, reason=error.reason) from error
        document = response.json()
        if not isinstance(document, dict) or not ({"result", "error"} & document.keys()):
            raise ConnectorError(
                f"{endpoint}: not a JSON-RPC answer", endpoint=endpoint, reason=Reason.MALFORMED_RESPONSE
            )
        if document.get("error") is not None:
            raise rpc_error(endpoint, document["error"])
        return document.get("result")

    async def login(self, credentials: Credentials) -> int:
        """`common.db.login`; a refusal (401/403/404/429 or no session) is a TargetError."""
        endpoint = f"POST {self.rpc_path} common.db.login"
        body: JsonValue = {
            "id": next(self._ids),
            "method": "common.db.login",
            "params": [credentials.login, {"password": credentials.password.reveal()}, DEFAULT_LANGUAGE],
        }
        response = await request(
            self.client, "POST", self.url(self.rpc_path), json=body, auth=_NO_AUTH, stats=self.stats,
            headers={"Accept": "application/json"}, accept=tuple(LOGIN_REFUSALS), idempotent=False,
            policy=LOGIN_POLICY,
        )  # fmt: skip
        if response.status in LOGIN_REFUSALS:
            raise _login_refused(endpoint, LOGIN_REFUSALS[response.status])
        document = response.json()
        error = document.get("error") if isinstance(document, dict) else None
        if isinstance(error, list) and error and error[0] == "LoginException":
            raise _login_refused(endpoint, "the server asks for another login step (a second factor)")
        result = document.get("result") if isinstance(document, dict) else None
        if not (isinstance(result, list) and len(result) >= 2 and isinstance(result[0], int)
                and not isinstance(result[0], bool) and isinstance(result[1], str) and result[1]):  # fmt: skip
            raise _login_refused(endpoint, "the login answer holds no session")
        self.user_id = result[0]
        self.auth = TrytonSessionAuth(credentials.login, result[0], Secret(result[1]))
        return result[0]

    async def logout(self) -> None:
        """`common.db.logout`, best effort: the session would expire on its own."""
        if self.auth is None:
            return
        try:
            await self.call("common.db.logout", [])
        except ConnectorError:
            return
        finally:
            self.auth = None

    async def search_read(
        self, model: str, fields: Sequence[str], *, domain: Sequence[Any] = (), limit: int = MAX_RECORDS,
        context: dict[str, Any] | None = None, order: Sequence[Sequence[str]] | None = None,
    ) -> list[dict[str, Any]]:  # fmt: skip
        """Every record of `model` matching `domain` (paged by PAGE_SIZE, at most `limit`), as dicts."""
        records: list[dict[str, Any]] = []
        offset = 0
        order_value = [list(entry) for entry in (order or (("id", "ASC"),))]
        while offset < limit:
            size = min(PAGE_SIZE, limit - offset)
            page = await self.call(
                f"model.{model}.search_read",
                [list(domain), offset, size, order_value, list(fields), context or {}],
            )
            if not isinstance(page, list) or not all(isinstance(entry, dict) for entry in page):
                endpoint = f"POST {self.rpc_path} model.{model}.search_read"
                raise ConnectorError(
                    f"{endpoint}: expected a list of records", endpoint=endpoint, reason=Reason.MALFORMED_RESPONSE
                )
            records.extend(page)
            offset += size
            if len(page) < size:
                break
        return records

    async def search_count(
        self, model: str, *, domain: Sequence[Any] = (), context: dict[str, Any] | None = None
    ) -> int:
        """How many records of `model` match `domain`."""
        count = await self.call(f"model.{model}.search_count", [list(domain), context or {}])
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            endpoint = f"POST {self.rpc_path} model.{model}.search_count"
            raise ConnectorError(f"{endpoint}: expected a count", endpoint=endpoint, reason=Reason.MALFORMED_RESPONSE)
        return count


def rpc_error(endpoint: str, error: Any) -> ConnectorError:
    """The ConnectorError for a JSON-RPC `error` member (its message is never copied: it may hold data)."""
    kind = error[0] if isinstance(error, list) and error and isinstance(error[0], str) else ""
    if kind == "UserError":
        return ConnectorError(
            f"{endpoint}: the server refused the read (access right or record rule)",
            endpoint=endpoint,
            reason=Reason.PERMISSION_DENIED,
        )
    if kind == "LoginException":
        return ConnectorError(f"{endpoint}: the server asks for another login step", endpoint=endpoint,
                              reason=Reason.AUTHENTICATION_FAILED)  # fmt: skip
    return ConnectorError(f"{endpoint}: the server answered with an error", endpoint=endpoint, reason=Reason.HTTP_ERROR)


def _login_refused(endpoint: str, why: str) -> TargetError:
    reason = Reason.RATE_LIMITED if "throttled" in why else Reason.AUTHENTICATION_FAILED
    return TargetError(
        f"{endpoint}: {why}",
        endpoint=endpoint,
        reason=reason,
        hint="check option user=, the password in CRMSEC_TOKEN and option database=",
    )


class _NoAuth(httpx.Auth):
    """Sends the request unchanged (before login, and for anonymous probes)."""

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Send unchanged."""
        yield request


_NO_AUTH = _NoAuth()
NO_AUTH: httpx.Auth = _NO_AUTH
