"""The lab's Security Health Check (Tooling API `SecurityHealthCheck`, `SecurityHealthCheckRisks`).

Modelled on a real org, awkward parts included, so a connector that leans on them fails here too:
- `Setting`, `SettingGroup`, `OrgValue` and `StandardValue` are display text in the org's language
  (`Posture.locale`: `en` or `de`); only `DurableId` and the raw values stay the same across languages.
- `Score` is a decimal string ("96.00"), not an integer.
- There are two `SecurityHealthCheck` rows: an older evaluation listed first and the current one, which the
  risk rows point at through `SecurityHealthCheckId`.
The German texts are the lab's own synthetic translations, not copied from Salesforce.
"""

from __future__ import annotations

from dataclasses import dataclass

from crmsec.lab.identity import record_id
from crmsec.lab.scenarios import Posture
from crmsec.lab.soql import Record

LOCALES = ("en", "de")
OLDER_CHECK_ID = "0HcLb0000000000001"
CURRENT_CHECK_ID = "0HcLb0000000000002"
GROUPS = {
    "PasswordPolicies": {"en": "Password Policies", "de": "Kennwortrichtlinien"},
    "SessionSettings": {"en": "Session Settings", "de": "Sitzungseinstellungen"},
    "Identity": {"en": "Identity", "de": "Identität"},
}
LABELS = {
    "PasswordPolicies.minPasswordLength": {"en": "Minimum password length", "de": "Minimale Kennwortlänge"},
    "PasswordPolicies.complexity": {
        "en": "Password complexity requirement",
        "de": "Anforderung an Kennwortkomplexität",
    },
    "PasswordPolicies.history": {"en": "Enforce password history", "de": "Kennwortprotokoll erzwingen"},
    "PasswordPolicies.expiration": {"en": "User passwords expire in", "de": "Benutzerkennwörter laufen ab nach"},
    "PasswordPolicies.maxLoginAttempts": {
        "en": "Maximum invalid login attempts",
        "de": "Maximale Anzahl ungültiger Anmeldeversuche",
    },
    "PasswordPolicies.lockoutInterval": {"en": "Lockout effective period", "de": "Dauer der Sperrung"},
    "SessionSettings.timeout": {"en": "Timeout value", "de": "Zeitlimitwert"},
    "SessionSettings.lockSessionsToIp": {
        "en": "Lock sessions to the IP address from which they originated",
        "de": "Sitzungen an die ursprüngliche IP-Adresse binden",
    },
    "SessionSettings.lockSessionsToDomain": {
        "en": "Lock sessions to the domain in which they were first used",
        "de": "Sitzungen an die zuerst verwendete Domäne binden",
    },
    "SessionSettings.clickjackSetup": {
        "en": "Enable clickjack protection for Setup pages",
        "de": "Clickjack-Schutz für Setup-Seiten aktivieren",
    },
    "SessionSettings.requireHttpOnly": {"en": "Require HttpOnly attribute", "de": "HttpOnly-Attribut erforderlich"},
    "SessionSettings.csrfGet": {
        "en": "Enable CSRF protection on GET requests on non-setup pages",
        "de": "CSRF-Schutz für GET-Anforderungen auf Nicht-Setup-Seiten aktivieren",
    },
    "SessionSettings.forceLogoutOnTimeout": {
        "en": "Force logout on session timeout",
        "de": "Abmeldung bei Sitzungszeitüberschreitung erzwingen",
    },
    "Identity.mfaEnabled": {
        "en": "Multi-factor authentication for user interface logins",
        "de": "Multi-Faktor-Authentifizierung für Anmeldungen an der Benutzeroberfläche",
    },
}
UNITS = {
    "characters": {"en": "{} characters", "de": "{} Zeichen"},
    "remembered": {"en": "{} passwords remembered", "de": "{} gespeicherte Kennwörter"},
    "days": {"en": "{} days", "de": "{} Tage"},
    "minutes": {"en": "{} minutes", "de": "{} Minuten"},
    "plain": {"en": "{}", "de": "{}"},
}
WORDS = {
    "enabled": {"en": "Enabled", "de": "Aktiviert"},
    "disabled": {"en": "Disabled", "de": "Deaktiviert"},
    "never": {"en": "Never expires", "de": "Läuft nie ab"},
    "no_limit": {"en": "No limit", "de": "Keine Begrenzung"},
    "two_hours": {"en": "2 hours", "de": "2 Stunden"},
    "alphanumeric": {"en": "Must include alpha and numeric characters", "de": "Muss Buchstaben und Ziffern enthalten"},
}


@dataclass(frozen=True, slots=True)
class _Row:
    durable_id: str
    category: str
    org_raw: str
    org_display: str
    standard_raw: str
    standard_display: str
    meets: bool


def _amount(kind: str, value: int, locale: str) -> str:
    return UNITS[kind][locale].format(value)


def _switch(durable_id: str, category: str, on: bool, locale: str) -> _Row:
    shown = WORDS["enabled" if on else "disabled"][locale]
    return _Row(durable_id, category, str(on).lower(), shown, "true", WORDS["enabled"][locale], on)


def _rows(posture: Posture, locale: str) -> list[_Row]:
    hardening, expiration, attempts = posture.session_hardening, posture.expiration_days, posture.max_login_attempts
    return [
        _Row(
            "PasswordPolicies.minPasswordLength",
            "MEDIUM_RISK",
            str(posture.min_password_length),
            _amount("characters", posture.min_password_length, locale),
            "8",
            _amount("characters", 8, locale),
            posture.min_password_length >= 8,
        ),
        _Row(
            "PasswordPolicies.complexity",
            "MEDIUM_RISK",
            posture.complexity,
            posture.complexity,
            "AlphaNumeric",
            WORDS["alphanumeric"][locale],
            posture.complexity != "NoRestriction",
        ),
        _Row(
            "PasswordPolicies.history",
            "MEDIUM_RISK",
            str(posture.history),
            _amount("remembered", posture.history, locale),
            "3",
            _amount("remembered", 3, locale),
            posture.history >= 3,
        ),
        _Row(
            "PasswordPolicies.expiration",
            "MEDIUM_RISK",
            str(expiration),
            WORDS["never"][locale] if expiration == 0 else _amount("days", expiration, locale),
            "90",
            _amount("days", 90, locale),
            0 < expiration <= 90,
        ),
        _Row(
            "PasswordPolicies.maxLoginAttempts",
            "HIGH_RISK",
            str(attempts),
            WORDS["no_limit"][locale] if attempts == 0 else _amount("plain", attempts, locale),
            "3",
            "3",
            0 < attempts <= 3,
        ),
        _Row(
            "PasswordPolicies.lockoutInterval",
            "LOW_RISK",
            str(posture.lockout_minutes),
            _amount("minutes", posture.lockout_minutes, locale),
            "30",
            _amount("minutes", 30, locale),
            posture.lockout_minutes >= 30,
        ),
        _Row(
            "SessionSettings.timeout",
            "LOW_RISK",
            str(posture.session_timeout_minutes),
            _amount("minutes", posture.session_timeout_minutes, locale),
            "120",
            WORDS["two_hours"][locale],
            posture.session_timeout_minutes <= 120,
        ),
        _switch("SessionSettings.forceLogoutOnTimeout", "LOW_RISK", hardening, locale),
        _switch("SessionSettings.lockSessionsToIp", "INFORMATIONAL", hardening, locale),
        _switch("SessionSettings.lockSessionsToDomain", "HIGH_RISK", hardening, locale),
        _switch("SessionSettings.clickjackSetup", "HIGH_RISK", hardening, locale),
        _switch("SessionSettings.requireHttpOnly", "HIGH_RISK", hardening, locale),
        _switch("SessionSettings.csrfGet", "HIGH_RISK", hardening, locale),
        _switch("Identity.mfaEnabled", "HIGH_RISK", posture.mfa_org_required, locale),
    ]


def health_check_risks(posture: Posture) -> list[Record]:
    """SecurityHealthCheckRisks rows of the current evaluation, as text in the posture's language."""
    locale = posture.locale
    records: list[Record] = []
    for index, row in enumerate(_rows(posture, locale)):
        risk_type = "MEETS_STANDARD" if row.meets else ("HIGH_RISK" if row.category == "HIGH_RISK" else "MEDIUM_RISK")
        records.append(
            {
                "__type__": "SecurityHealthCheckRisks",
                "Id": record_id("0Hr", index),
                "DurableId": row.durable_id,
                "SecurityHealthCheckId": CURRENT_CHECK_ID,
                "Setting": LABELS[row.durable_id][locale],
                "SettingGroup": GROUPS[row.durable_id.split(".")[0]][locale],
                "SettingRiskCategory": row.category,
                "OrgValue": row.org_display,
                "OrgValueRaw": row.org_raw,
                "StandardValue": row.standard_display,
                "StandardValueRaw": row.standard_raw,
                "RiskType": risk_type,
            }
        )
    return records


def health_checks(posture: Posture) -> list[Record]:
    """SecurityHealthCheck rows: an older evaluation first, then the current one (scores as decimal strings)."""
    older = max(0, posture.health_score - 11)
    return [
        {
            "__type__": "SecurityHealthCheck",
            "Id": check_id,
            "DurableId": check_id,
            "Score": f"{score:.2f}",
            "CustomBaselineId": None,
        }
        for check_id, score in ((OLDER_CHECK_ID, older), (CURRENT_CHECK_ID, posture.health_score))
    ]
