"""What a BottleCRM server reveals over HTTP: `http.probe` and `platform.config`.

Every probe is a single, read-only request, and all but one are anonymous:

- `debug_mode`: a GET of a path that does not exist; Django's technical 404 page ("DEBUG = True") means on;
- `cors_allow_all_origins`: a CORS preflight for the API from a foreign origin (`*` or an echo means yes),
  plus the `Origin` sent with the `http.probe` GET;
- `allowed_hosts_wildcard`: a GET of `/healthz/` with a bogus `Host`; Django answers 400 unless
  ALLOWED_HOSTS is `*`;
- `admin_interface_exposed`: a GET of `/admin/login/`; a Django admin login form means exposed;
- `server_banner`: the `Server` header (and `X-Powered-By`) of the `http.probe` answer;
- `secret_key_weak`: BottleCRM signs its session JWTs (HS256) with Django's SECRET_KEY, whose shipped
  default is public. We sign an access token for a member of the org with each well-known default key
  and send it to `/api/org/settings/` once; a 200 proves the server uses that key. The forged token is
  short-lived, never stored, and the option `secret_key_probe=off` skips the probe (the facts file's
  `secret_key.weak` is then the only source).

A probe that gets no answer, or an answer saying the page was not served (429 or 5xx still there after
the retries), fails: `platform.config` then becomes an evidence error, so a fault never reads as "no". A
field is `null` only when the server was asked and gave nothing to decide on (no member to name in the
forged token, no facts file with the probe switched off).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass

from crmsec.connectors.bottlecrm.api import BottleApi
from crmsec.connectors.bottlecrm.facts import DeploymentFacts
from crmsec.connectors.http import HttpResponse
from crmsec.connectors.web import DEBUG_MARKERS, PROBE_ORIGIN, probe_value
from crmsec.errors import ConnectorError, Reason
from crmsec.vocabulary import JsonValue

MISSING_PATH = "/crmsec-probe-not-found/"
HEALTH_PATH = "/healthz/"
ADMIN_LOGIN_PATH = "/admin/login/"
PREFLIGHT_PATH = "/api/org/settings/"
BOGUS_HOST = "crmsec-probe.invalid"
ADMIN_MARKERS = (b"csrfmiddlewaretoken", b"id_username")
# Public default values we test for, not secrets of ours.
KNOWN_DEFAULT_KEYS: tuple[str, ...] = (
    "django-insecure-dev-key-please-change-in-production",  # BottleCRM's shipped default (ENV_TYPE=dev)
    "django-insecure-change-me",
    "changeme",
    "secret",
)
ANY_STATUS = range(100, 600)
FORGED_LIFETIME_SECONDS = 120
PROBE_MAX_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Identity:
    """Whom a forged token would claim to be: an active member's user id and the org id."""

    user_id: str
    org_id: str


async def _answer(api: BottleApi, path: str, *, method: str = "GET", headers: dict[str, str] | None = None,
                  served: bool = True) -> HttpResponse:  # fmt: skip
    """One anonymous probe request; any status is an answer, but no answer raises `ConnectorError`.

    With `served`, an answer saying the page was not served (`_served`) raises too.
    """
    response = await api.get(path, method=method, headers=headers, accept=ANY_STATUS, authenticated=False)
    return _served(response) if served else response


def _served(response: HttpResponse) -> HttpResponse:
    """`response`, unless it is a 429 or a 5xx (still there after the retries): then `ConnectorError`."""
    if response.status == 429 or response.status >= 500:
        reason = Reason.RATE_LIMITED if response.status == 429 else Reason.HTTP_ERROR
        message = f"{response.endpoint}: HTTP {response.status} after retries, the probe saw nothing"
        raise ConnectorError(message, endpoint=response.endpoint, reason=reason)
    return response


async def http_probe(api: BottleApi) -> tuple[dict[str, JsonValue], HttpResponse]:
    """`http.probe`: one anonymous GET of the base URL with a foreign Origin (raises when no answer)."""
    response = await api.get("/", headers={"Origin": PROBE_ORIGIN}, accept=ANY_STATUS, authenticated=False)
    return probe_value(response), response


def _allows_foreign_origin(response: HttpResponse) -> bool:
    allowed = response.headers.get("access-control-allow-origin", "").strip()
    return allowed in ("*", PROBE_ORIGIN)


async def cors_allow_all(api: BottleApi, root: HttpResponse) -> bool:
    """True when a preflight from a foreign origin (or the root GET) is allowed; a failed preflight raises."""
    preflight = await _answer(
        api,
        PREFLIGHT_PATH,
        method="OPTIONS",
        headers={"Origin": PROBE_ORIGIN, "Access-Control-Request-Method": "GET",
                 "Access-Control-Request-Headers": "authorization"},
    )  # fmt: skip
    return _allows_foreign_origin(preflight) or _allows_foreign_origin(root)


async def debug_mode(api: BottleApi) -> bool:
    """True when a missing page shows Django's technical (debug) page (a debug 500 page counts too)."""
    response = await _answer(api, MISSING_PATH, served=False)
    if any(marker in response.content for marker in DEBUG_MARKERS):
        return True
    _served(response)
    return False


async def allowed_hosts_wildcard(api: BottleApi) -> bool:
    """True when a request naming a foreign Host is served (Django refuses it with 400 otherwise)."""
    response = await _answer(api, HEALTH_PATH, headers={"Host": BOGUS_HOST})
    return response.status < 400


async def admin_exposed(api: BottleApi) -> bool:
    """True when the Django admin login form is served to anyone."""
    response = await _answer(api, ADMIN_LOGIN_PATH)
    return response.status == 200 and all(marker in response.content for marker in ADMIN_MARKERS)


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def forge_access_token(identity: Identity, key: str, *, now: float) -> str:
    """An HS256 access token in BottleCRM's (simplejwt) shape, signed with `key`."""
    header = {"alg": "HS256", "typ": "JWT"}
    claims = {
        "token_type": "access",
        "exp": int(now) + FORGED_LIFETIME_SECONDS,
        "iat": int(now),
        "jti": secrets.token_hex(16),
        "user_id": identity.user_id,
        "org_id": identity.org_id,
    }
    signing_input = ".".join(_b64(json.dumps(part, separators=(",", ":")).encode()) for part in (header, claims))
    signature = hmac.new(key.encode(), signing_input.encode("ascii"), hashlib.sha256).digest()
    return f"{signing_input}.{_b64(signature)}"


async def default_key_accepted(api: BottleApi, identity: Identity, *, keys: Sequence[str] = KNOWN_DEFAULT_KEYS) -> bool:
    """True when a token signed with a known default key is accepted; a probe without an answer raises."""
    for key in keys:
        token = forge_access_token(identity, key, now=time.time())
        response = await _answer(api, PREFLIGHT_PATH, headers={"Authorization": f"Bearer {token}"})
        if response.status == 200:
            return True
    return False


async def platform_config(
    api: BottleApi,
    root: HttpResponse,
    *,
    identity: Identity | None,
    facts: DeploymentFacts,
    probe_secret_key: bool,
) -> dict[str, JsonValue]:
    """`platform.config` from the probes above and, for the secret key, the facts file.

    Raises `ConnectorError` when a probe got no answer: the whole key is then an evidence error.
    """
    weak: bool | None = None
    source: str | None = None
    if probe_secret_key and identity is not None:
        weak = await default_key_accepted(api, identity)
        source = "probe"
    declared = facts.get("secret_key", "weak")
    if isinstance(declared, bool) and weak is not True:
        weak, source = declared, facts.source
    banner = ", ".join(value for name in ("server", "x-powered-by") if (value := root.headers.get(name))) or None
    return {
        "debug_mode": await debug_mode(api),
        "secret_key_weak": weak,
        "secret_key_source": source,
        "cors_allow_all_origins": await cors_allow_all(api, root),
        "allowed_hosts_wildcard": await allowed_hosts_wildcard(api),
        "admin_interface_exposed": await admin_exposed(api),
        "admin_path": ADMIN_LOGIN_PATH,
        "server_banner": banner,
    }
