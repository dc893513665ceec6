"""External client apps, the successor of connected apps, read from the Metadata API into `integrations.connected_apps`.

Metadata API Developer Guide (API 59.0 and later; the org must have opted in to external client apps):
- `ExternalClientApplication`: the app's header (`label`, `distributionState`).
- `ExtlClntAppOauthSettings`: `externalClientApplication` (the app's full name), `commaSeparatedOauthScopes`.
- `ExtlClntAppOauthConfigurablePolicies`: `externalClientApplication`, `permittedUsersPolicyType`
  (`AdminApprovedPreAuthorized`, `AllSelfAuthorized`), `ipRelaxationPolicyType` (`Enforce`, `Bypass`,
  `Bypass_2factor`, `Enforce_RelaxRefresh`), `refreshTokenPolicyType` (`Infinite`, `SpecificInactivity`,
  `SpecificLifetime`, `Zero`) with `refreshTokenValidityPeriod` and `refreshTokenValidityUnit` (`Days`, `Hours`,
  `Months`).
Components are found with listMetadata and joined on `externalClientApplication`, never on a label. A policy
that cannot be read (a SOAP fault, a component missing, an undocumented value) stays `null` and the entry's
`note` says why, so the checks answer MANUAL with that reason instead of guessing.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from crmsec.connectors.salesforce import metadata
from crmsec.connectors.salesforce.api import SalesforceApi
from crmsec.connectors.salesforce.values import iso, to_int
from crmsec.errors import ConnectorError, Reason, TargetError

APP, SETTINGS, POLICIES = (
    "ExternalClientApplication",
    "ExtlClntAppOauthSettings",
    "ExtlClntAppOauthConfigurablePolicies",
)
KINDS = (APP, SETTINGS, POLICIES)
PERMITTED_USERS = {"AdminApprovedPreAuthorized": True, "AllSelfAuthorized": False}
IP_RELAXED = {"Enforce": False, "Bypass": True, "Bypass_2factor": True, "Enforce_RelaxRefresh": True}
"""`Enforce_RelaxRefresh` enforces IP restrictions except for refresh tokens, so tokens still work from anywhere."""
REFRESH_KINDS = {"Infinite": "infinite", "Zero": "none"}
UNREADABLE = frozenset({Reason.PERMISSION_DENIED, Reason.NOT_SUPPORTED})
"""Why a component may stay unread for good (the scanning user lacks the permission, the org the type)."""
DAYS_PER_UNIT = {"Hours": 1 / 24, "Days": 1, "Months": 31}
"""A month counts as 31 days, as for connected apps, so rounding never brings a validity under a limit."""


@dataclass(frozen=True, slots=True)
class ExternalApps:
    """What the Metadata API returned: the listed components and, per type, the records or the read's error."""

    listed: list[dict[str, Any]]
    records: dict[str, list[dict[str, Any]] | ConnectorError]


async def fetch(api: SalesforceApi) -> ExternalApps:
    """List the three types in one listMetadata call, then read each type's components.

    An org without external client apps answers INVALID_TYPE (`not_supported`): no apps. Any other failure of
    the listing raises (the apps that exist are unknown). A read this user or org cannot make (UNREADABLE) is
    kept per type for the entries' notes (MANUAL); any other failed read (a timeout, a 5xx, a garbled answer)
    raises, so the whole key is an error and a passing fault never turns a verdict into MANUAL.
    """
    try:
        listed = await metadata.list_metadata(api, list(KINDS))
    except TargetError:
        raise
    except ConnectorError as error:
        if error.reason is Reason.NOT_SUPPORTED:
            return ExternalApps([], {})
        raise

    async def read(kind: str) -> list[dict[str, Any]] | ConnectorError:
        names = sorted(
            {str(entry["fullName"]) for entry in listed if entry.get("type") == kind and entry.get("fullName")}
        )
        try:
            return await metadata.read_metadata(api, kind, names) if names else []
        except ConnectorError as error:
            if error.reason in UNREADABLE:
                return error
            raise

    outcomes = await asyncio.gather(*(read(kind) for kind in KINDS))
    return ExternalApps(listed, dict(zip(KINDS, outcomes, strict=True)))


def _by_app(outcome: list[dict[str, Any]] | ConnectorError | None, key: str) -> dict[str, Mapping[str, Any]]:
    if not isinstance(outcome, list):
        return {}
    return {str(record.get(key)): record for record in outcome if record.get(key)}


def _refresh(policy: Mapping[str, Any]) -> tuple[str | None, int | float | None, str | None]:
    """(policy, validity days, note) from a policies record; an undocumented value gives a note, not a guess."""
    kind = str(policy.get("refreshTokenPolicyType") or "")
    if kind in REFRESH_KINDS:
        return REFRESH_KINDS[kind], None, None
    if kind not in ("SpecificLifetime", "SpecificInactivity"):
        return None, None, f"refreshTokenPolicyType {kind or 'missing'} is not a documented value"
    period, unit = to_int(policy.get("refreshTokenValidityPeriod")), str(policy.get("refreshTokenValidityUnit") or "")
    if period is None or unit not in DAYS_PER_UNIT:
        return None, None, f"refresh token validity {policy.get('refreshTokenValidityPeriod')} {unit} is not readable"
    days = period * DAYS_PER_UNIT[unit]
    return "expiring", int(days) if float(days).is_integer() else round(days, 3), None


def _why_missing(kind: str, outcome: list[dict[str, Any]] | ConnectorError | None) -> str:
    if isinstance(outcome, ConnectorError):
        return f"{kind} could not be read ({outcome.reason}: {outcome})"
    return f"no {kind} component names this app"


def entries(apps: ExternalApps) -> list[dict[str, Any]]:
    """One `integrations.connected_apps` entry (`kind: external_client_app`) per listed external client app."""
    headers = _by_app(apps.records.get(APP), "fullName")
    settings = _by_app(apps.records.get(SETTINGS), "externalClientApplication")
    policies = _by_app(apps.records.get(POLICIES), "externalClientApplication")
    result = []
    for listed in apps.listed:
        full_name = str(listed.get("fullName") or "")
        if listed.get("type") != APP or not full_name:
            continue
        notes: list[str] = []
        header, setting, policy = headers.get(full_name), settings.get(full_name), policies.get(full_name)
        scopes = None
        if setting is None:
            notes.append(_why_missing(SETTINGS, apps.records.get(SETTINGS)))
        else:
            raw = str(setting.get("commaSeparatedOauthScopes") or "")
            scopes = sorted(scope.strip() for scope in raw.split(",") if scope.strip())
        refresh, validity, admin_only, relaxed = None, None, None, None
        if policy is None:
            notes.append(_why_missing(POLICIES, apps.records.get(POLICIES)))
        else:
            refresh, validity, refresh_note = _refresh(policy)
            notes += [refresh_note] if refresh_note else []
            admin_only = PERMITTED_USERS.get(str(policy.get("permittedUsersPolicyType")))
            relaxed = IP_RELAXED.get(str(policy.get("ipRelaxationPolicyType")))
        label = header.get("label") if header else None
        result.append(
            {
                "name": str(label) if label else full_name,
                "kind": "external_client_app",
                "api_name": full_name,
                "scopes": scopes,
                "refresh_token_policy": refresh,
                "refresh_token_validity_days": validity,
                "admin_approved_only": admin_only,
                "ip_relaxed": relaxed,
                "created_at": iso(listed.get("createdDate")),
                "note": "; ".join(notes) or None,
            }
        )
    return sorted(result, key=lambda entry: (entry["name"], entry["api_name"]))
