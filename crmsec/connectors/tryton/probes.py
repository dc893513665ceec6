"""What a Tryton server shows over HTTP: `http.probe` and the observed parts of `platform.config`.

Every probe is one read-only request:

- `http.probe`: an anonymous GET of the base URL (headers, cookies, HSTS, the `Server` banner);
- `server_series`: `common.server.version` (anonymous, `POST /rpc/`), the version series the server reports;
- `database_list_exposed`: `common.db.list` (anonymous); the server lists its databases unless
  `[database] list = False` (403);
- `cors_allow_all_origins` / `foreign_origin_refused`: a CORS preflight of the database's RPC path from a
  foreign origin; trytond answers 403 unless the origin is in `[web] cors`;
- `debug_mode`: a signed-in call of a model that does not exist; trytond in development mode
  (`TRYTOND_DEV=1` or `--dev`) puts the server's traceback in the error answer.

A probe that gets no answer leaves its field `null`.
"""

from __future__ import annotations

from dataclasses import dataclass

from crmsec.connectors.http import HttpResponse, RetryPolicy, request
from crmsec.connectors.tryton.rpc import NO_AUTH, TrytonRpc
from crmsec.connectors.web import PROBE_ORIGIN, probe_value
from crmsec.errors import ConnectorError
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
    database_list_exposed: bool | None
    foreign_origin_refused: bool | None
    foreign_origin_allowed: bool | None


async def _quiet(
    rpc: TrytonRpc, method: str, path: str, *, json: JsonValue = None, headers: dict[str, str] | None = None,
    policy: RetryPolicy | None = None,
) -> HttpResponse | None:  # fmt: skip
    """One anonymous probe; any status is an answer, no answer is None."""
    try:
        return await request(
            rpc.client, method, rpc.url(path), json=json, headers=headers, auth=NO_AUTH,
            accept=ANY_STATUS, stats=rpc.stats, max_bytes=PROBE_MAX_BYTES, idempotent=True, policy=policy,
        )  # fmt: skip
    except ConnectorError:
        return None


async def _anonymous_call(rpc: TrytonRpc, method: str) -> HttpResponse | None:
    body: JsonValue = {"id": 0, "method": method, "params": []}
    return await _quiet(rpc, "POST", "/rpc/", json=body, headers={"Accept": "application/json"})


def _result(response: HttpResponse | None) -> JsonValue:
    if response is None or response.status != 200:
        return None
    try:
        document = response.json()
    except ConnectorError:
        return None
    return document.get("result") if isinstance(document, dict) else None


async def observe(rpc: TrytonRpc) -> Observed:
    """Run the anonymous probes; the root GET must answer (else ConnectorError), the others may not."""
    root = await request(rpc.client, "GET", rpc.url("/"), auth=NO_AUTH, accept=ANY_STATUS, stats=rpc.stats,
                         max_bytes=PROBE_MAX_BYTES)  # fmt: skip
    series = _result(await _anonymous_call(rpc, "common.server.version"))
    listing = await _anonymous_call(rpc, "common.db.list")
    exposed = None if listing is None or listing.status >= 500 else listing.status == 200
    preflight = await _quiet(
        rpc, "OPTIONS", rpc.rpc_path,
        headers={"Origin": PROBE_ORIGIN, "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "authorization"},
        policy=NO_RETRY,
    )  # fmt: skip
    refused: bool | None = None
    allowed: bool | None = None
    if preflight is not None:
        # trytond refuses a foreign origin with 403, raised where its own handler cannot turn it into a
        # response, so the server answers 500; either way no Access-Control-Allow-Origin comes back.
        allowed = preflight.headers.get("access-control-allow-origin", "").strip() in ("*", PROBE_ORIGIN)
        refused = preflight.status >= 400 and not allowed
    return Observed(root, series if isinstance(series, str) else None, exposed, refused, allowed)


async def debug_mode(rpc: TrytonRpc) -> bool | None:
    """True when a failing call returns the server's traceback (development mode); None without an answer."""
    body: JsonValue = {"id": 0, "method": f"model.{PROBE_MODEL}.search_count", "params": [[], {}]}
    try:
        response = await request(rpc.client, "POST", rpc.url(rpc.rpc_path), json=body, auth=rpc.auth or NO_AUTH,
                                 accept=ANY_STATUS, stats=rpc.stats, idempotent=True,
                                 headers={"Accept": "application/json"})  # fmt: skip
    except ConnectorError:
        return None
    if response.status >= 500:
        return None
    try:
        document = response.json()
    except ConnectorError:
        return None
    error = document.get("error") if isinstance(document, dict) else None
    if not isinstance(error, list):
        return None
    return any(isinstance(part, str) and "Traceback (most recent call last)" in part for part in error)


def http_probe(observed: Observed) -> dict[str, JsonValue]:
    """`http.probe` from the root GET."""
    return probe_value(observed.root)


def platform_config(observed: Observed, *, debug: bool | None, list_setting: bool | None) -> dict[str, JsonValue]:
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
        "database_list_exposed": observed.database_list_exposed
        if observed.database_list_exposed is not None
        else list_setting,
    }
