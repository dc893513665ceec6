"""What a Tryton server shows over HTTP: `http.probe` and the observed parts of `platform.config`.

Every probe is one read-only request:

- `http.probe`: an anonymous GET of the base URL (headers, cookies, HSTS, the `Server` banner);
- `server_series`: the version series `common.server.version` reported (read for `org.info`);
- `database_list_exposed`: `common.db.list` (anonymous); the server lists its databases unless
  `[database] list = False` (403);
- `cors_allow_all_origins` / `foreign_origin_refused`: a CORS preflight of the database's RPC path from a
  foreign origin; trytond answers 403 unless the origin is in `[web] cors`;
- `debug_mode`: a signed-in call of a model that does not exist; trytond in development mode
  (`TRYTOND_DEV=1` or `--dev`) puts the server's traceback in the error answer.

A probe without an answer, or answering 429 or 5xx where trytond answers otherwise, makes `platform.config`
an evidence error (fail closed, docs/reliability.md), never a `null` read as "not exposed".
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from crmsec.connectors.http import HttpResponse, RetryPolicy, request
from crmsec.connectors.tryton.rpc import NO_AUTH, TrytonRpc
from crmsec.connectors.web import PROBE_ORIGIN, probe_value
from crmsec.errors import ConnectorError, Reason
from crmsec.vocabulary import JsonValue

ANY_STATUS = range(100, 600)
PROBE_MODEL = "crmsec.probe.missing"
PROBE_MAX_BYTES = 4 * 1024 * 1024
NO_RETRY = RetryPolicy(retries=0)
"""The preflight's refusal is a 500 (see `observe`): retrying it would only wait."""


@dataclass(frozen=True, slots=True)
class Observed:
    """What the anonymous probes saw."""

    root: HttpResponse
    series: str | None
    database_list_exposed: bool
    foreign_origin_refused: bool
    foreign_origin_allowed: bool


def _unusable(response: HttpResponse, what: str) -> ConnectorError:
    return ConnectorError(
        f"{response.endpoint}: the {what} probe got HTTP {response.status}, which says nothing about the setting",
        endpoint=response.endpoint,
        reason=Reason.RATE_LIMITED if response.status == 429 else Reason.HTTP_ERROR,
    )


async def _probe(
    rpc: TrytonRpc, method: str, path: str, *, json: JsonValue = None, headers: dict[str, str] | None = None,
    policy: RetryPolicy | None = None, auth: httpx.Auth = NO_AUTH,
) -> HttpResponse:  # fmt: skip
    """One probe request: any status is returned; no answer at all raises ConnectorError."""
    return await request(
        rpc.client, method, rpc.url(path), json=json, headers=headers, auth=auth, accept=ANY_STATUS,
        stats=rpc.stats, max_bytes=PROBE_MAX_BYTES, idempotent=True, policy=policy,
    )  # fmt: skip


async def root(rpc: TrytonRpc) -> HttpResponse:
    """The anonymous GET of the base URL (`http.probe`); no answer raises ConnectorError."""
    return await _probe(rpc, "GET", "/")


async def root_probe(rpc: TrytonRpc) -> tuple[dict[str, JsonValue], HttpResponse]:
    """The `http.probe` value of the anonymous GET of the base URL, with the answer."""
    answer = await root(rpc)
    return probe_value(answer), answer


async def observe(rpc: TrytonRpc, answer: HttpResponse, *, series: str | None) -> Observed:
    """The database-list and CORS probes; no answer, or 429/5xx where trytond answers otherwise, raises.

    trytond refuses a foreign origin with a 403 raised where its own handler cannot turn it into a response,
    so the server answers the preflight with 500 and no Access-Control-Allow-Origin: for the preflight only,
    a 5xx without that header reads as refused.
    """
    body: JsonValue = {"id": 0, "method": "common.db.list", "params": []}
    listing = await _probe(rpc, "POST", "/rpc/", json=body, headers={"Accept": "application/json"})
    if listing.status == 429 or listing.status >= 500:
        raise _unusable(listing, "database list")
    preflight = await _probe(
        rpc, "OPTIONS", rpc.rpc_path,
        headers={"Origin": PROBE_ORIGIN, "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "authorization"},
        policy=NO_RETRY,
    )  # fmt: skip
    allowed = preflight.headers.get("access-control-allow-origin", "").strip() in ("*", PROBE_ORIGIN)
    if preflight.status == 429:
        raise _unusable(preflight, "CORS")
    return Observed(answer, series, listing.status == 200, preflight.status >= 400 and not allowed, allowed)


async def debug_mode(rpc: TrytonRpc) -> bool:
    """True when a failing call returns the server's traceback (development mode); no usable answer raises."""
    body: JsonValue = {"id": 0, "method": f"model.{PROBE_MODEL}.search_count", "params": [[], {}]}
    response = await _probe(rpc, "POST", rpc.rpc_path, json=body, headers={"Accept": "application/json"},
                            auth=rpc.auth or NO_AUTH)  # fmt: skip
    if response.status != 200:
        raise _unusable(response, "development mode")
    document = response.json()
    error = document.get("error") if isinstance(document, dict) else None
    if not isinstance(error, list):
        raise ConnectorError(
            f"{response.endpoint}: a call of a missing model did not answer with an error",
            endpoint=response.endpoint,
            reason=Reason.MALFORMED_RESPONSE,
        )
    return any(isinstance(part, str) and "Traceback (most recent call last)" in part for part in error)


def platform_config(observed: Observed, *, debug: bool) -> dict[str, JsonValue]:
    """`platform.config`: observed values, and null for Django-style settings Tryton does not have."""
    headers = observed.root.headers
    banner = ", ".join(value for name in ("server", "x-powered-by") if (value := headers.get(name))) or None
    return {
        "debug_mode": debug,
        "secret_key_weak": None,
        "secret_key_source": None,
        "cors_allow_all_origins": observed.foreign_origin_allowed,
        "allowed_hosts_wildcard": None,
        "admin_interface_exposed": None,
        "admin_path": None,
        "server_banner": banner,
        "server_series": observed.series,
        "database_list_exposed": observed.database_list_exposed,
    }
