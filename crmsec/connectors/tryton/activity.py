"""User application keys and the model log: `integrations.api_keys` and `audit.settings`.

- `res.user.application` holds the keys users request for Tryton's REST applications (`application`,
  `state` requested/validated/cancelled). We never read the `key` field. Tryton keys do not expire and
  their use is not recorded, so `expires_at` and `last_used_at` are null.
- `ir.model.log` is Tryton's audit log (`trytond/ir/model.py` Log, written by `ModelStorage`): every
  write, delete, button click, wizard launch and workflow transition on a model outside `ir.*`. It is
  always on and keeps rows until someone deletes them, so its retention comes from the facts file. Changes
  of users, groups and user keys are the security events we count; changes of `ir.model.access` and
  `ir.rule` are not logged by Tryton at all (their models start with `ir.`).
- Tryton keeps no login history (successful logins only reach the server log, failed ones are dropped
  after the `[session] timeout`), no setup audit trail beyond the model log and no event monitoring:
  those parts are recorded as unknown (`enabled: null`), since the server log may still hold them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from crmsec.connectors.tryton.rpc import TrytonRpc, flag, timestamp_of
from crmsec.evidence import timestamp
from crmsec.vocabulary import JsonValue

APPLICATION_FIELDS = ("user", "application", "state", "create_date")
LOG_FIELDS = ("create_date", "event", "resource", "user")
SECURITY_MODELS = ("res.user", "res.group", "res.user-res.group", "res.user.application")
RECENT_DAYS = 30
MAX_LOG_ROWS = 5000


async def api_keys(rpc: TrytonRpc, logins: dict[int, tuple[str, bool, bool]]) -> JsonValue:
    """`integrations.api_keys` from `res.user.application` (`logins`: user id -> (login, admin, active))."""
    rows = await rpc.search_read("res.user.application", APPLICATION_FIELDS)
    keys: list[dict[str, JsonValue]] = []
    for row in rows:
        owner = logins.get(row["user"]) if isinstance(row.get("user"), int) else None
        state = row.get("state")
        keys.append({
            "name": f"{row.get('application')} key {row.get('id')}",
            "kind": "user_application",
            "owner": owner[0] if owner else None,
            "created_at": timestamp_of(row.get("create_date")),
            "expires_at": None,
            "last_used_at": None,
            "revoked_at": None,
            "scopes": [str(row.get("application"))],
            "owner_is_admin": owner[1] if owner else None,
            "active": state == "validated" and (owner[2] if owner else False),
            "state": state if isinstance(state, str) else None,
        })  # fmt: skip
    return [*sorted(keys, key=lambda key: (str(key["created_at"]), str(key["name"])))]


def _resource_model(value: Any) -> str | None:
    if isinstance(value, str) and "," in value:
        return value.split(",", 1)[0]
    return None


async def audit_settings(rpc: TrytonRpc, *, now: dt.datetime, retention_days: int | None) -> JsonValue:
    """`audit.settings` from `ir.model.log`: always on; counts and the reach of the log, retention from facts."""
    total = await rpc.search_count("ir.model.log")
    since = now - dt.timedelta(days=RECENT_DAYS)
    since_value = {"__class__": "datetime", "year": since.year, "month": since.month, "day": since.day,
                   "hour": since.hour, "minute": since.minute, "second": since.second, "microsecond": 0}  # fmt: skip
    recent = await rpc.search_read(
        "ir.model.log", LOG_FIELDS, domain=[["create_date", ">=", since_value]], limit=MAX_LOG_ROWS,
        order=(("create_date", "DESC"), ("id", "DESC")),
    )  # fmt: skip
    oldest = await rpc.search_read("ir.model.log", ("create_date",), limit=1, order=(("create_date", "ASC"),))
    events: dict[str, int] = {}
    for row in recent:
        model = _resource_model(row.get("resource"))
        if model in SECURITY_MODELS:
            name = f"{model}.{row.get('event')}"
            events[name] = events.get(name, 0) + 1
    audit_log: dict[str, JsonValue] = {
        "enabled": True,
        "retention_days": retention_days,
        "recent_security_events": sum(events.values()),
        "recent_security_event_types": dict(sorted(events.items())),
        "recent_window_days": RECENT_DAYS,
        "recent_events": len(recent),
        "events_total": total,
        "oldest_event_at": timestamp_of(oldest[0].get("create_date")) if oldest else None,
        "collected_since": timestamp(since),
    }
    unknown: dict[str, JsonValue] = {"enabled": None, "retention_days": None}
    return {
        "setup_audit_trail": dict(unknown),
        "login_history": {**unknown, "recent_logins": None},
        "event_monitoring": {**unknown, "event_types": []},
        "field_history": {"enabled": None, "retention_months": None},
        "audit_log": audit_log,
    }


def owners(users: list[dict[str, Any]], admins: set[int]) -> dict[int, tuple[str, bool, bool]]:
    """User id -> (login, is admin, active), for naming key owners."""
    return {
        int(user["id"]): (str(user.get("login") or ""), int(user["id"]) in admins, flag(user.get("active")) is True)
        for user in users
        if isinstance(user.get("id"), int)
    }
