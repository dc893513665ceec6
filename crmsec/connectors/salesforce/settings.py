"""Org settings from the Metadata API (`SecuritySettings`) and the Security Health Check (Tooling API).

Password, session and MFA settings are read from the `SecuritySettings` metadata record (full name
`Security`) by field API name: `passwordPolicies.*` and `sessionSettings.*`. Health Check rows are never
matched by their `Setting` text, which is a display label translated into the user's language; Health Check
only gives `platform.health_check` (its score and its risk list). A field the record does not carry stays
`null` (never a guessed default); a value outside the documented enumerations makes the key an error
(`malformed_response`) naming the field, so nothing is silently misread. Trusted and profile IP ranges come
from the same metadata.

Enumerations: Metadata API Developer Guide, SecuritySettings (PasswordPolicies, SessionSettings).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from crmsec.connectors.salesforce.metadata import as_list
from crmsec.errors import ConnectorError, Reason

SECURITY_ENDPOINT = "POST /services/Soap/m readMetadata(SecuritySettings)"
HEALTH_ENDPOINT = "GET /services/data/tooling/query SecurityHealthCheck"
COMPLEXITY = (
    "NoRestriction",
    "AlphaNumeric",
    "SpecialCharacters",
    "UpperLowerCaseNumeric",
    "UpperLowerCaseNumericSpecialCharacters",
    "Any3UpperLowerCaseNumericSpecialCharacters",
)
"""`passwordPolicies.complexity` values, kept as Salesforce spells them (the checks know them)."""
EXPIRATION_DAYS = {"ThirtyDays": 30, "SixtyDays": 60, "NinetyDays": 90, "SixMonths": 180, "OneYear": 365, "Never": 0}
LOCKOUT_MINUTES = {"FifteenMinutes": 15, "ThirtyMinutes": 30, "SixtyMinutes": 60, "Forever": 0}
"""`Forever` (until an administrator unlocks the user) is 0, as `auth.password_policy` defines it."""
LOGIN_ATTEMPTS = {"ThreeAttempts": 3, "FiveAttempts": 5, "TenAttempts": 10, "NoLimit": 0}
SESSION_TIMEOUT_MINUTES = {
    "FifteenMinutes": 15,
    "ThirtyMinutes": 30,
    "SixtyMinutes": 60,
    "NinetyMinutes": 90,
    "TwoHours": 120,
    "FourHours": 240,
    "EightHours": 480,
    "TwelveHours": 720,
    "TwentyFourHours": 1440,
}
SESSION_FLAGS = {
    "lock_sessions_to_ip": ("lockSessionsToIp",),
    "lock_sessions_to_domain": ("lockSessionsToDomain",),
    "https_required": ("requireHttps",),
    "clickjack_protection": ("enableClickjackSetup",),
    "http_only_cookies": ("requireHttpOnly",),
    "csrf_protection": ("enableCSRFOnGet", "enableCSRFOnPost"),
    "force_logout_on_timeout": ("forceLogoutOnSessionTimeout",),
}
"""Evidence field -> the sessionSettings booleans that must all be true. `requireHttps` exists in API
versions 40.0 to 60.0 only (HTTPS cannot be turned off since); on later versions https_required stays null."""
MFA_FIELD = "enableMFADirectUILoginOptIn"


def _malformed(message: str, endpoint: str = SECURITY_ENDPOINT) -> ConnectorError:
    return ConnectorError(message, endpoint=endpoint, reason=Reason.MALFORMED_RESPONSE)


def security_record(records: Iterable[Mapping[str, Any]]) -> Mapping[str, Any]:
    """The `Security` record of a readMetadata(SecuritySettings) answer (ConnectorError when it has none)."""
    for record in records:
        if str(record.get("fullName", "Security")) == "Security":
            return record
    raise _malformed("readMetadata returned no SecuritySettings record named Security")


def _section(record: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    section = record.get(name)
    if section is None or section == "":
        return {}
    if not isinstance(section, Mapping):
        raise _malformed(f"SecuritySettings.{name} is not a structure")
    return section


def _text(section: Mapping[str, Any], path: str, field: str) -> str | None:
    value = section.get(field)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise _malformed(f"SecuritySettings.{path}.{field} is not a single value")
    return value.strip()


def _enum(section: Mapping[str, Any], path: str, field: str, values: Mapping[str, int]) -> int | None:
    text = _text(section, path, field)
    if text is None:
        return None
    if text not in values:
        raise _malformed(f"SecuritySettings.{path}.{field} has an undocumented value {text!r}")
    return values[text]


def _count(section: Mapping[str, Any], path: str, field: str) -> int | None:
    text = _text(section, path, field)
    if text is None:
        return None
    if not text.isdigit():
        raise _malformed(f"SecuritySettings.{path}.{field} is not a whole number: {text!r}")
    return int(text)


def _flag(section: Mapping[str, Any], path: str, field: str) -> bool | None:
    text = _text(section, path, field)
    if text is None:
        return None
    if text not in ("true", "false"):
        raise _malformed(f"SecuritySettings.{path}.{field} is not true or false: {text!r}")
    return text == "true"


def password_policy(record: Mapping[str, Any]) -> dict[str, Any]:
    """`auth.password_policy` from `passwordPolicies` (expiration_days, max_login_attempts, lockout_minutes:
    0 means never / no limit / until an administrator unlocks)."""
    section, path = _section(record, "passwordPolicies"), "passwordPolicies"
    complexity = _text(section, path, "complexity")
    if complexity is not None and complexity not in COMPLEXITY:
        raise _malformed(f"SecuritySettings.{path}.complexity has an undocumented value {complexity!r}")
    return {
        "min_length": _count(section, path, "minimumPasswordLength"),
        "complexity": complexity,
        "history_count": _count(section, path, "historyRestriction"),
        "expiration_days": _enum(section, path, "expiration", EXPIRATION_DAYS),
        "max_login_attempts": _enum(section, path, "maxLoginAttempts", LOGIN_ATTEMPTS),
        "lockout_minutes": _enum(section, path, "lockoutInterval", LOCKOUT_MINUTES),
    }


def _all(values: list[bool | None]) -> bool | None:
    if False in values:
        return False
    return None if None in values else True


def session_settings(record: Mapping[str, Any]) -> dict[str, Any]:
    """`auth.session_settings` from `sessionSettings`."""
    section, path = _section(record, "sessionSettings"), "sessionSettings"
    settings: dict[str, Any] = {
        "idle_timeout_minutes": _enum(section, path, "sessionTimeout", SESSION_TIMEOUT_MINUTES),
    }
    for key, fields in SESSION_FLAGS.items():
        settings[key] = _all([_flag(section, path, field) for field in fields])
    return settings


def org_mfa_required(record: Mapping[str, Any]) -> bool | None:
    """Whether every direct UI login needs MFA (`sessionSettings.enableMFADirectUILoginOptIn`; None if absent)."""
    return _flag(_section(record, "sessionSettings"), "sessionSettings", MFA_FIELD)


def score_of(value: Any) -> int | float | None:
    """A Health Check score (a decimal string such as "86" or "85.5") as a number; None when absent."""
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise _malformed(f"SecurityHealthCheck.Score is not a number: {value!r}", HEALTH_ENDPOINT)
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation as error:
        raise _malformed(f"SecurityHealthCheck.Score is not a number: {value!r}", HEALTH_ENDPOINT) from error
    if not number.is_finite() or not 0 <= number <= 100:
        raise _malformed(f"SecurityHealthCheck.Score is outside 0..100: {value!r}", HEALTH_ENDPOINT)
    return int(number) if number == number.to_integral_value() else float(number)


def current_check(checks: list[Mapping[str, Any]], risks: list[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    """The SecurityHealthCheck row in force: the only one, else the one the risk rows belong to.

    SecurityHealthCheck documents no timestamp, so with several rows the newest evaluation is the one its
    risk list (`SecurityHealthCheckRisks.SecurityHealthCheckId`) points at; when that does not single one
    out, guessing would be a silent wrong score, so it is an error.
    """
    if len(checks) <= 1:
        return checks[0] if checks else None
    referenced = {str(row.get("SecurityHealthCheckId")) for row in risks if row.get("SecurityHealthCheckId")}
    candidates = [row for row in checks if str(row.get("Id")) in referenced]
    if len(candidates) != 1:
        raise _malformed(
            f"{len(checks)} SecurityHealthCheck rows and the risk rows do not single out the current one",
            HEALTH_ENDPOINT,
        )
    return candidates[0]


def health_check(checks: list[Mapping[str, Any]], risks: list[Mapping[str, Any]]) -> dict[str, Any]:
    """`platform.health_check`: the current row's score and its risk list (labels only for display)."""
    check = current_check(checks, risks)
    check_id = str(check.get("Id")) if check and check.get("Id") else None
    own = [
        row
        for row in risks
        if check_id is None or not row.get("SecurityHealthCheckId") or str(row.get("SecurityHealthCheckId")) == check_id
    ]
    if risks and not own:
        raise _malformed("no SecurityHealthCheckRisks row belongs to the current SecurityHealthCheck", HEALTH_ENDPOINT)
    return {
        "score": score_of((check or {}).get("Score")),
        "baseline": (check or {}).get("CustomBaselineId") or "SFDCRecommended",
        "risks": [
            {
                "id": row.get("DurableId"),
                "setting": row.get("Setting"),
                "group": row.get("SettingGroup"),
                "risk_type": row.get("RiskType"),
                "category": row.get("SettingRiskCategory"),
                "org_value": row.get("OrgValue"),
                "standard_value": row.get("StandardValue"),
            }
            for row in sorted(own, key=lambda row: (str(row.get("SettingGroup")), str(row.get("DurableId"))))
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
