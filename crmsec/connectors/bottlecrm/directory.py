"""Organisation, members, credentials and the security audit log, normalised into evidence values.

BottleCRM has two roles, ADMIN and USER. An ADMIN manages members and sees and edits every record of the
org; a USER sees the records assigned to them. We normalise ADMIN to `is_admin: true` with the permissions
`manage_users`, `view_all_data`, `modify_all_data`, `customize_application`. BottleCRM has no separate
profile concept: the role is what grants permissions, so it fills both `profile` and `role`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from crmsec.connectors.bottlecrm.api import BottleApi, OrgApiKeyAuth
from crmsec.errors import ConnectorError, Reason
from crmsec.evidence import timestamp
from crmsec.redaction import mask
from crmsec.target import Secret
from crmsec.vocabulary import JsonValue

ORG_SETTINGS = "/api/org/settings/"
USERS = "/api/users/"
ORG_TOKENS = "/api/org/tokens/"
ORG_API_KEY = "/api/org/api-key/"
AUDIT_LOG = "/api/org/audit-log/"
ADMIN_PERMISSIONS = ("customize_application", "manage_users", "modify_all_data", "view_all_data")
SECURITY_EVENTS = frozenset(
    {
        "LOGIN_FAILURE", "PERMISSION_DENIED", "CROSS_ORG_ATTEMPT", "API_KEY_INVALID", "SUSPICIOUS_ACTIVITY",
        "TOKEN_REVOKED", "MEMBERSHIP_REVOKED", "API_TOKEN_CREATED", "API_TOKEN_REVOKED", "FEATURE_GRANT_CHANGED",
    }
)  # fmt: skip
RECENT_DAYS = 30
PAGE_SIZE = 100
MAX_USERS = 5000


def rfc3339(value: Any) -> str | None:
    """A BottleCRM timestamp (ISO 8601 with offset or Z, maybe fractional) as `YYYY-MM-DDTHH:MM:SSZ`."""
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return timestamp(moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC))


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _malformed(path: str, what: str) -> ConnectorError:
    return ConnectorError(f"GET {path}: {what}", endpoint=f"GET {path}", reason=Reason.MALFORMED_RESPONSE)


async def org_info(api: BottleApi) -> dict[str, JsonValue]:
    """`org.info` from the organisation settings (any member may read them)."""
    body = await api.document(ORG_SETTINGS)
    if not isinstance(body, dict) or not body.get("id"):
        raise _malformed(ORG_SETTINGS, "no organisation id")
    return {
        "id": str(body["id"]),
        "name": body.get("name"),
        "edition": None,
        "instance": api.base_url,
        "is_sandbox": None,
        "api_version": None,
        "member_count": body.get("member_count"),
        "timezone": body.get("timezone"),
        "created_at": rfc3339(body.get("created_at")),
    }


async def members(api: BottleApi) -> list[dict[str, Any]]:
    """Every profile of the org, active and inactive (admin only; a USER gets 403)."""
    rows: list[dict[str, Any]] = []
    for section, list_key in (("active_users", "active_users"), ("inactive_users", "inactive_users")):
        offset = 0
        while offset < MAX_USERS:
            body = await api.document(USERS, query={"limit": PAGE_SIZE, "offset": offset})
            block = body.get(section) if isinstance(body, dict) else None
            page = block.get(list_key) if isinstance(block, dict) else None
            if not isinstance(page, list):
                raise _malformed(USERS, f"no {section} list")
            rows.extend(row for row in page if isinstance(row, dict))
            total = block.get(f"{section}_count") if isinstance(block, dict) else None
            offset += PAGE_SIZE
            if len(page) < PAGE_SIZE or not isinstance(total, int) or offset >= total:
                break
    return rows


def normalise_user(row: dict[str, Any]) -> dict[str, JsonValue]:
    """One `identity.users` record from a BottleCRM profile row."""
    details = _mapping(row.get("user_details"))
    role = row.get("role") if isinstance(row.get("role"), str) else None
    is_admin = role == "ADMIN"
    name = details.get("name")
    return {
        "id": str(details.get("id") or row.get("id")),
        "username": str(details.get("email") or ""),
        "name": mask(name) if isinstance(name, str) and name else None,
        "active": bool(row.get("is_active")) and details.get("is_active") is not False,
        "user_type": "standard",
        "created_at": rfc3339(row.get("created_at")),
        "last_login_at": rfc3339(details.get("last_login")),
        "profile": role,
        "role": role,
        "permission_sets": [],
        "permissions": list(ADMIN_PERMISSIONS) if is_admin else [],
        "is_admin": is_admin,
        "mfa_registered": None,
        "mfa_required": None,
        "sso": None,
        "is_integration": False,
        "active_token_count": row.get("active_token_count") if isinstance(row.get("active_token_count"), int) else None,
    }


async def identity_users(api: BottleApi) -> list[dict[str, JsonValue]]:
    """`identity.users`, sorted by username."""
    users = [normalise_user(row) for row in await members(api)]
    return sorted(users, key=lambda user: (str(user["username"]), str(user["id"])))


async def api_keys(api: BottleApi, *, org_key_in_use: bool) -> list[dict[str, JsonValue]]:
    """`integrations.api_keys`: every personal access token of the org, plus the org API key.

    The token list is refused to PATs and the org API key (a credential deny-list), so this needs a session
    JWT. The org API key is always present (one per org, never expires, read-only ADMIN). Whether key sign-in
    is switched on (DJANGO_ORG_API_KEY_AUTH) is `active`: known when this scan authenticated with the key
    (`org_key_in_use`), else tested with `org_key_enabled`.
    """
    body = await api.document(ORG_TOKENS)
    tokens = body.get("tokens") if isinstance(body, dict) else None
    if not isinstance(tokens, list):
        raise _malformed(ORG_TOKENS, "no tokens list")
    keys = [_token(entry) for entry in tokens if isinstance(entry, dict)]
    keys.sort(key=lambda key: (str(key["created_at"]), str(key["name"])))
    active = True if org_key_in_use else await org_key_enabled(api)
    keys.append(
        {
            "name": "organization API key",
            "kind": "org_api_key",
            "owner": None,
            "created_at": None,
            "expires_at": None,
            "last_used_at": None,
            "revoked_at": None,
            "scopes": ["*:read"],
            "owner_is_admin": True,
            "active": active,
            "in_use_by_scan": org_key_in_use,
        }
    )
    return keys


async def org_key_enabled(api: BottleApi) -> bool | None:
    """Whether the org API key signs in: read it (admin session only) and send one GET with it.

    The key is held as a `Secret` for that one request and never recorded. None when this credential may
    not read the key (403) or the org shows none; any other failure raises `ConnectorError`, so a fault
    fails `integrations.api_keys` instead of leaving `active` unknown.
    """
    try:
        body = await api.document(ORG_API_KEY)
    except ConnectorError as error:
        if error.reason is Reason.PERMISSION_DENIED:
            return None
        raise
    if not isinstance(body, dict):
        raise _malformed(ORG_API_KEY, "expected a JSON object")
    value = body.get("api_key")
    if not isinstance(value, str) or not value:
        return None
    answer = await api.get(ORG_SETTINGS, auth=OrgApiKeyAuth(Secret(value)), accept=(401, 403))
    return answer.status == 200


def _token(entry: dict[str, Any]) -> dict[str, JsonValue]:
    owner = _mapping(entry.get("owner"))
    raw_scopes = entry.get("scopes")
    scopes: list[Any] = raw_scopes if isinstance(raw_scopes, list) else []
    return {
        "name": entry.get("name"),
        "kind": "personal_access_token",
        "owner": owner.get("name"),
        "created_at": rfc3339(entry.get("created_at")),
        "expires_at": rfc3339(entry.get("expires_at")),
        "last_used_at": rfc3339(entry.get("last_used_at")),
        "revoked_at": rfc3339(entry.get("revoked_at")),
        "scopes": sorted(str(scope) for scope in scopes) or ["*"],
        "owner_is_admin": owner.get("role") == "ADMIN" if owner else None,
        "active": bool(entry.get("is_live")) and owner.get("is_active") is not False,
        "prefix": entry.get("token_prefix"),
    }


async def audit_settings(api: BottleApi, *, now: dt.datetime, retention_days: int | None) -> dict[str, JsonValue]:
    """`audit.settings`: BottleCRM's security audit log is always on; we count recent security events.

    BottleCRM keeps audit rows until someone deletes them and has no retention setting, so `retention_days`
    comes from the facts file or stays null. `oldest_event_at` shows how far back the log reaches.
    """
    entries = await api.drf_pages(AUDIT_LOG, page_size=100, limit=1000)
    since = now - dt.timedelta(days=RECENT_DAYS)
    recent: dict[str, int] = {}
    times: list[str] = []
    for entry in entries:
        moment = rfc3339(entry.get("created_at"))
        if moment is None:
            continue
        times.append(moment)
        event = str(entry.get("event_type"))
        if event in SECURITY_EVENTS and moment >= timestamp(since):
            recent[event] = recent.get(event, 0) + 1
    audit_log: dict[str, JsonValue] = {
        "enabled": True,
        "retention_days": retention_days,
        "recent_security_events": sum(recent.values()),
        "recent_security_event_types": dict(sorted(recent.items())),
        "recent_window_days": RECENT_DAYS,
        "events_read": len(entries),
        "oldest_event_at": min(times) if times else None,
    }
    return {
        "setup_audit_trail": None,
        "login_history": None,
        "event_monitoring": None,
        "field_history": None,
        "audit_log": audit_log,
    }
