"""Org settings from the Security Health Check (Tooling API) and the Metadata API.

Password and session settings come from `SecurityHealthCheckRisks.OrgValueRaw`, keyed by the setting's
name as Health Check shows it; trusted and profile IP ranges come from Metadata API records. A setting the
org's Health Check does not list stays `null` (never a guessed default).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from crmsec.connectors.salesforce.metadata import as_list
from crmsec.connectors.salesforce.values import to_bool, to_int

PASSWORD_SETTINGS = {
    "min_length": "Minimum password length",
    "complexity": "Password complexity requirement",
    "history_count": "Enforce password history",
    "expiration_days": "User passwords expire in",
    "max_login_attempts": "Maximum invalid login attempts",
    "lockout_minutes": "Lockout effective period",
}
SESSION_SETTINGS = {
    "idle_timeout_minutes": "Timeout value",
    "lock_sessions_to_ip": "Lock sessions to the IP address from which they originated",
    "lock_sessions_to_domain": "Lock sessions to the domain in which they were first used",
    "https_required": "Require secure connections (HTTPS)",
    "clickjack_protection": "Enable clickjack protection for Setup pages",
    "http_only_cookies": "Require HttpOnly attribute",
    "csrf_protection": "Enable CSRF protection on GET requests on non-setup pages",
    "force_logout_on_timeout": "Force logout on session timeout",
}
MFA_SETTING = "Multi-factor authentication for user interface logins"
COMPLEXITY = {
    "NoRestriction": "none",
    "AlphaNumeric": "alphanumeric",
    "SpecialCharacters": "alphanumeric_special",
    "UpperLowerCaseNumeric": "upper_lower_numeric",
    "UpperLowerCaseNumericSpecialCharacters": "upper_lower_numeric_special",
    "Any3UpperLowerCaseNumericSpecialCharacters": "any_three_of_four",
}


def risks_by_setting(risks: Iterable[Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    """Health Check risk rows keyed by lower-cased setting name."""
    return {str(row.get("Setting", "")).strip().lower(): row for row in risks}


def _raw(risks: Mapping[str, Mapping[str, Any]], setting: str) -> Any:
    row = risks.get(setting.lower())
    return None if row is None else row.get("OrgValueRaw")


def password_policy(risks: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """`auth.password_policy` (expiration_days and max_login_attempts: 0 means never / no limit)."""
    policy: dict[str, Any] = {}
    for key, setting in PASSWORD_SETTINGS.items():
        raw = _raw(risks, setting)
        if key == "complexity":
            policy[key] = None if raw is None else str(raw)  # Salesforce's picklist value, e.g. NoRestriction
        else:
            policy[key] = to_int(raw)
    return policy


def session_settings(risks: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """`auth.session_settings`."""
    settings: dict[str, Any] = {}
    for key, setting in SESSION_SETTINGS.items():
        raw = _raw(risks, setting)
        settings[key] = to_int(raw) if key == "idle_timeout_minutes" else to_bool(raw)
    return settings


def org_mfa_required(risks: Mapping[str, Mapping[str, Any]]) -> bool | None:
    """Whether the org requires MFA for every UI login (None when Health Check does not say)."""
    return to_bool(_raw(risks, MFA_SETTING))


def health_check(check: Mapping[str, Any] | None, risks: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """`platform.health_check`."""
    score = to_int((check or {}).get("Score"))
    return {
        "score": score,
        "baseline": (check or {}).get("CustomBaselineId") or "SFDCRecommended",
        "risks": [
            {
                "setting": row.get("Setting"),
                "group": row.get("SettingGroup"),
                "risk_type": row.get("RiskType"),
                "category": row.get("SettingRiskCategory"),
                "org_value": row.get("OrgValue"),
                "standard_value": row.get("StandardValue"),
            }
            for row in sorted(risks, key=lambda row: (str(row.get("SettingGroup")), str(row.get("Setting"))))
        ],
    }


def trusted_ranges(security: Mapping[str, Any] | None) -> list[dict[str, Any]] | None:
    """Org-wide trusted IP ranges from SecuritySettings metadata (None when it could not be read)."""
    if security is None:
        return None
    network = security.get("networkAccess")
    ranges = as_list(network.get("ipRanges")) if isinstance(network, Mapping) else []
    return [
        {"start": item.get("start"), "end": item.get("end"), "description": item.get("description") or None}
        for item in ranges
        if isinstance(item, Mapping)
    ]


def profile_ranges(records: Iterable[Mapping[str, Any]], names: Mapping[str, str]) -> dict[str, list[dict[str, Any]]]:
    """Profile name -> login IP ranges, from Profile metadata (`names`: metadata full name -> profile name)."""
    result: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        full_name = str(record.get("fullName", ""))
        if full_name not in names:
            continue
        ranges = [item for item in as_list(record.get("loginIpRanges")) if isinstance(item, Mapping)]
        result[names[full_name]] = [
            {"start": item.get("startAddress"), "end": item.get("endAddress")} for item in ranges
        ]
    return result


def sso(saml: Iterable[Mapping[str, Any]] | None, providers: Iterable[Mapping[str, Any]] | None) -> dict[str, Any]:
    """`auth.sso` from SAML single sign-on configurations and auth providers."""
    found = [{"name": row.get("DeveloperName"), "protocol": "saml"} for row in saml or ()]
    found += [
        {"name": row.get("DeveloperName"), "protocol": f"oidc:{str(row.get('ProviderType')).lower()}"}
        for row in providers or ()
    ]
    return {"enabled": bool(found), "providers": sorted(found, key=lambda entry: str(entry["name"]))}
