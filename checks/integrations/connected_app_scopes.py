"""CRM-INT-001: connected apps do not hold full or standing unattended API access."""

import re

from crmsec.plugin import Dimension, Evidence, Finding, JsonValue, Severity, Status, check, field_of

KEY = "integrations.connected_apps"


@check(
    id="CRM-INT-001",
    title="Connected apps avoid full and unlimited OAuth scopes",
    dimension=Dimension.INTEGRATIONS,
    severity=Severity.HIGH,
    requires=(KEY,),
    params={
        "risky_scopes": ["full", "web"],
        "risky_scope_combinations": [["api", "refresh_token"], ["api", "offline_access"]],
    },
    rationale=(
        "A token with the full scope can do everything its user can, including in the UI; api together with "
        "refresh_token gives an external system standing access that outlives every session, so a stolen "
        "token is as good as a password."
    ),
    remediation=(
        "Grant each connected app only the scopes its integration needs: drop every scope in risky_scopes, and "
        "pair api with refresh_token/offline_access (risky_scope_combinations) only for server integrations that "
        "also have expiring refresh tokens and admin-approved users."
    ),
    references=(
        "https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_tokens_scopes.htm&type=5",
        "https://www.rfc-editor.org/rfc/rfc9700",
    ),
    frameworks={
        "iso27001_2022": ("A.8.2", "A.5.15"),
        "soc2": ("CC6.1", "CC6.3"),
        "nist_csf_2": ("PR.AA-05",),
        "gbt22239_2019_l3": ("8.1.4.2",),
    },
)
def connected_app_scopes(
    evidence: Evidence, *, risky_scopes: list[str], risky_scope_combinations: list[list[str]]
) -> list[Finding]:
    """One finding per app: FAIL for a risky scope, WARN for a risky combination, PASS otherwise."""
    apps = evidence.records(KEY)
    if not apps:
        message = "No connected app or external client app is configured."
        return [Finding(Status.NOT_APPLICABLE, resource="organization", message=message)]
    return [_judge(app, risky_scopes, risky_scope_combinations) for app in apps]


def _normal(scope: str) -> str:
    """Scopes compare without case or separators: RefreshToken, refresh_token and REFRESH-TOKEN are one scope."""
    return re.sub(r"[^a-z0-9]", "", scope.lower())


def _judge(app: dict[str, JsonValue], risky: list[str], combinations: list[list[str]]) -> Finding:
    name = field_of(app, "name", str, key=KEY)
    if app.get("scopes") is None:
        message = f"The platform does not say which OAuth scopes {name} holds{_reason(app)}"
        return Finding(Status.MANUAL, resource=name, message=message, details={"scopes": None})
    scopes = field_of(app, "scopes", list, key=KEY)
    held = {_normal(scope) for scope in scopes}
    broad = sorted(scope for scope in risky if _normal(scope) in held)
    combos = [combo for combo in combinations if combo and all(_normal(scope) in held for scope in combo)]
    details: dict[str, JsonValue] = {"scopes": sorted(scopes), "risky_scopes": broad, "risky_combinations": combos}
    if broad:
        message = f"Connected app {name} holds the scope(s) {', '.join(broad)}."
        return Finding(Status.FAIL, resource=name, message=message, details=details)
    if combos:
        pairs = "; ".join(" + ".join(combo) for combo in combos)
        message = f"Connected app {name} holds standing API access ({pairs})."
        return Finding(Status.WARN, resource=name, message=message, details=details)
    message = f"Connected app {name} holds no risky scope ({', '.join(sorted(scopes)) or 'none'})."
    return Finding(Status.PASS, resource=name, message=message, details=details)


def _reason(app: dict[str, JsonValue]) -> str:
    """ ": <why the platform could not tell>." from the entry's `note`, or "." without one."""
    note = app.get("note")
    return f": {note}." if isinstance(note, str) and note else "."
