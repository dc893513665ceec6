"""Org, integration, encryption, audit and backup evidence from Salesforce records (pure functions)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from crmsec.connectors.bottlecrm.facts import UNKNOWN_SOURCE, DeploymentFacts
from crmsec.connectors.bottlecrm.facts import backup_status as facts_backup_status
from crmsec.connectors.salesforce.metadata import as_list, same_id
from crmsec.connectors.salesforce.values import days_between, iso, parse_time, to_bool, to_int

EDITION_SUFFIX = " Edition"
REFRESH_POLICY = re.compile(r"(specific_lifetime|specific_inactivity):(\d+):(HOURS|DAYS|MONTHS)")
"""`ConnectedAppOauthPolicy.refreshTokenPolicy` with a validity: `specific_lifetime:<n>:<unit>` (expires n
units after issue) or `specific_inactivity:<n>:<unit>` (expires when unused for n units); besides these
the documented values are `infinite` (valid until revoked, the default) and `zero` (no usable refresh token)."""
DAYS_PER_UNIT = {"HOURS": 1 / 24, "DAYS": 1, "MONTHS": 31}
"""A month counts as 31 days, so rounding never brings a validity under a limit it exceeds."""
SECURITY_ACTION_PARTS = (
    "permset",
    "profileforuser",
    "password",
    "sessionsetting",
    "connectedapp",
    "externalclientapp",
    "remoteaccess",
    "iprange",
    "certificate",
    "namedcredential",
    "samlsso",
    "authprovider",
    "twofactor",
    "mfa",
    "suorgadminlogin",
)
SECURITY_ACTIONS = frozenset({"createduser", "activateduser", "deactivateduser", "frozeuser", "unfrozeuser"})
"""`SetupAuditTrail.Action` API values (compared in lower case) that count as security events: the exact
values, plus any Action containing one of SECURITY_ACTION_PARTS (`PermSetAssign`, `changedprofileforuser`,
`resetpassword`, `suOrgAdminLogin`, ...). `Action` is an API value, the same in every language; `Section` and
`Display` are display text translated into the org's language and are never matched on. Salesforce publishes
no complete list of Action values: these come from values public tools query by."""
NO_BACKUP_API = (
    "Salesforce exposes no backup status through its API: Salesforce Backup and Recover documents no object or "
    "REST resource that reports backup runs, and third-party backup tools keep their own logs"
)


def org_info(organization: Mapping[str, Any], api_version: str) -> dict[str, Any]:
    """`org.info`."""
    edition = str(organization.get("OrganizationType") or "") or None
    return {
        "id": organization.get("Id"),
        "name": organization.get("Name"),
        "edition": edition.removesuffix(EDITION_SUFFIX) if edition else None,
        "instance": organization.get("InstanceName"),
        "is_sandbox": organization.get("IsSandbox"),
        "api_version": api_version,
    }


def refresh_policy(value: Any) -> tuple[str | None, int | float | None]:
    """(refresh_token_policy, refresh_token_validity_days) from a connected app's `refreshTokenPolicy`.

    An undocumented value gives (None, None): the check then asks for manual review instead of guessing.
    """
    text = str(value).strip() if value is not None else ""
    if text == "infinite":
        return "infinite", None
    if text == "zero":
        return "none", None
    match = REFRESH_POLICY.fullmatch(text)
    if match is None:
        return None, None
    days = int(match.group(2)) * DAYS_PER_UNIT[match.group(3)]
    return "expiring", int(days) if float(days).is_integer() else round(days, 3)


def _app_metadata(
    app: Mapping[str, Any], listed: Sequence[Mapping[str, Any]], by_full_name: Mapping[str, Mapping[str, Any]]
) -> Mapping[str, Any] | None:
    """The ConnectedApp record of a ConnectedApplication row: through the listed component whose `id` is the
    row's Id, else the record whose `label` is the row's Name; never a full name derived from the label."""
    for entry in listed:
        if same_id(entry.get("id"), app.get("Id")):
            found = by_full_name.get(str(entry.get("fullName")))
            if found is not None:
                return found
    return next((record for record in by_full_name.values() if record.get("label") == app.get("Name")), None)


def connected_apps(
    apps: Iterable[Mapping[str, Any]], metadata: tuple[list[dict[str, Any]], list[dict[str, Any]]] | None
) -> list[dict[str, Any]]:
    """`integrations.connected_apps` (`kind: connected_app`): ConnectedApplication rows joined with their
    ConnectedApp metadata (`metadata`: listMetadata entries and readMetadata records; None when unreadable).

    The refresh-token policy and its validity come from the metadata's `oauthPolicy.refreshTokenPolicy`,
    which carries the unit; `ConnectedApplication.RefreshTokenValidityPeriod` has no unit and is not used.
    An app without matching metadata keeps `null` policies and a `note` saying so (manual review).
    """
    listed, records = metadata if metadata is not None else ([], [])
    by_full_name = {str(record.get("fullName")): record for record in records}
    result = []
    for app in apps:
        name = str(app.get("Name"))
        meta = _app_metadata(app, listed, by_full_name)
        config = meta.get("oauthConfig") if meta else None
        policy = meta.get("oauthPolicy") if meta else None
        scopes = sorted(str(scope) for scope in as_list(config.get("scopes"))) if isinstance(config, Mapping) else None
        refresh = policy.get("refreshTokenPolicy") if isinstance(policy, Mapping) else None
        relax = policy.get("ipRelaxation") if isinstance(policy, Mapping) else None
        refresh_kind, validity = refresh_policy(refresh) if refresh else (None, None)
        note = None
        if metadata is None:
            note = "the ConnectedApp metadata could not be read"
        elif meta is None:
            note = "no ConnectedApp metadata matched this app (by record id or label)"
        result.append(
            {
                "name": name,
                "kind": "connected_app",
                "api_name": str(meta.get("fullName")) if meta else None,
                "scopes": scopes,
                "refresh_token_policy": refresh_kind,
                "refresh_token_validity_days": validity,
                "admin_approved_only": to_bool(app.get("OptionsAllowAdminApprovedUsersOnly")),
                "ip_relaxed": None if relax is None else str(relax) != "ENFORCE",
                "created_at": iso(app.get("CreatedDate")),
                "note": note,
            }
        )
    return sorted(result, key=lambda entry: entry["name"])


def oauth_tokens(tokens: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """`integrations.oauth_tokens`."""
    return sorted(
        (
            {
                "app": token.get("AppName"),
                "user": token.get("UserId"),
                "created_at": iso(token.get("CreatedDate")),
                "last_used_at": iso(token.get("LastUsedDate")),
                "use_count": to_int(token.get("UseCount")),
            }
            for token in tokens
        ),
        key=lambda entry: (str(entry["app"]), str(entry["user"]), str(entry["created_at"])),
    )


def encryption(secrets: Iterable[Mapping[str, Any]] | None, encrypted_fields: list[str]) -> dict[str, Any]:
    """`encryption.platform`: Shield tenant secrets plus the fields describe marks as encrypted.

    `database_encrypted` is None: Salesforce encrypts its storage, but no API shows it (manual evidence).
    """
    keys = [
        {
            "id": row.get("Id"),
            "type": row.get("Type"),
            "status": str(row.get("Status") or "").lower() or None,
            "created_at": iso(row.get("CreatedDate")),
            "customer_managed": row.get("Source") in ("UPLOADED", "REMOTE"),
        }
        for row in secrets or ()
    ]
    active_data = any(key["status"] == "active" and key["type"] == "Data" for key in keys)
    return {
        "enabled": None if secrets is None else (active_data and bool(encrypted_fields)),
        "provider": "shield_platform_encryption" if active_data else None,
        "encrypted_fields": sorted(encrypted_fields),
        "keys": keys,
        "database_encrypted": None,
    }


def audit_settings(
    *,
    trail: list[Mapping[str, Any]] | None,
    events: list[Mapping[str, Any]] | None,
    logins_30d: int | None,
    tracked_fields: int | None,
    now: datetime,
) -> dict[str, Any]:
    """`audit.settings` (retention: Salesforce keeps the setup audit trail and login history 180 days)."""
    event_types = sorted({str(row.get("EventType")) for row in events or ()})
    oldest = min((moment for row in events or () if (moment := parse_time(row.get("LogDate")))), default=None)
    recent_security = (
        None
        if trail is None
        else sum(
            1
            for row in trail
            if is_security_action(row.get("Action"))
            and (days_between(parse_time(row.get("CreatedDate")), now) or 0) <= 90
        )
    )
    return {
        "setup_audit_trail": {"enabled": True, "retention_days": 180},
        "login_history": {"enabled": True, "retention_days": 180, "recent_logins": logins_30d},
        "event_monitoring": {
            "enabled": None if events is None else bool(events),
            "event_types": event_types,
            "retention_days": days_between(oldest, now) if oldest else None,
        },
        "field_history": {
            "enabled": None if tracked_fields is None else tracked_fields > 0,
            "retention_months": 18 if tracked_fields else None,
        },
        "audit_log": {"enabled": True, "retention_days": 180, "recent_security_events": recent_security},
    }


def is_security_action(action: Any) -> bool:
    """True when a `SetupAuditTrail.Action` value records a security-relevant change (see SECURITY_ACTIONS)."""
    text = str(action or "").lower()
    return text in SECURITY_ACTIONS or any(part in text for part in SECURITY_ACTION_PARTS)


def backup_status(facts: DeploymentFacts) -> dict[str, Any]:
    """`backup.status`: what the deployment-facts file declares, else every field null, `source: unknown` and a
    `note` saying why (NO_BACKUP_API), so backup checks answer MANUAL instead of guessing."""
    value: dict[str, Any] = dict(facts_backup_status(facts))
    if value["source"] == UNKNOWN_SOURCE:
        value["note"] = NO_BACKUP_API
    return value
