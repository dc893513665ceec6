"""The lab's Metadata API: SOAP `listMetadata` and `readMetadata`.

Only what the connector reads: SecuritySettings (trusted IP ranges, password policies, session settings),
connected-app OAuth scopes and policies, profile login IP ranges, and external client apps with their OAuth
settings and policies. As in a real org, full names are not derivable from labels: connected apps and
external client apps have API names unlike their labels, standard profiles have fixed API names (`Admin`)
while `Profile.Name` is translated (`Systemadministrator` in German), and a custom profile's full name is
URL-encoded (`Sales Ops%3A Admin`). `listMetadata` gives each component's full name with its record id.
The request is read with regular expressions (the lab only needs the operation, the types, the full names
and the session id), never with an XML parser.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from xml.sax.saxutils import escape

from crmsec.lab.identity import record_id
from crmsec.lab.scenarios import Posture
from crmsec.lab.setup import APPS

METADATA_NS = "http://soap.sforce.com/2006/04/metadata"
APP_NAMES = dict(zip(APPS, ("DataLoaderSync", "MC_Connector", "Reporting_DWH"), strict=True))
"""Connected app label (`ConnectedApplication.Name`) -> metadata full name."""
PROFILE_NAMES = (
    "Admin",
    "Standard",
    "MarketingProfile",
    "ReadOnly",
    "Integration User",
    "Site Guest User",
    "Customer Community User",
    "Sales Ops%3A Admin",
)
"""Metadata full name of the lab's profile `i` (`crmsec.lab.identity.build_profiles`, Id `00eLb...i`)."""
ADMIN_PROFILES = frozenset({"Admin", "Sales Ops%3A Admin"})
EXTERNAL_APPS = (("Billing_Portal_ECA", "Billing Portal"), ("PartnerSync", "Partner Sync"))
"""External client apps: (full name, label)."""
_REFRESH = re.compile(r"(specific_lifetime|specific_inactivity):(\d+):(HOURS|DAYS|MONTHS)")
_SERVED = ("ConnectedApp", "Profile", "ExternalClientApplication", "ExtlClntAppOauthSettings",
           "ExtlClntAppOauthConfigurablePolicies")  # fmt: skip
_TYPE = re.compile(r"<(?:\w+:)?type>\s*([A-Za-z]+)\s*</(?:\w+:)?type>")
_FULL_NAME = re.compile(r"<(?:\w+:)?fullNames>\s*([^<]+?)\s*</(?:\w+:)?fullNames>")
_SESSION = re.compile(r"<(?:\w+:)?sessionId>\s*([^<]+?)\s*</(?:\w+:)?sessionId>")


def parse_request(body: str) -> tuple[str | None, list[str], str | None]:
    """(metadata type, full names, session id) of a readMetadata request."""
    kind = _TYPE.search(body)
    session = _SESSION.search(body)
    return (kind.group(1) if kind else None, _FULL_NAME.findall(body), session.group(1) if session else None)


def envelope(inner: str) -> str:
    """A SOAP envelope around a body fragment."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
        f'xmlns="{METADATA_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<soapenv:Body>{inner}</soapenv:Body></soapenv:Envelope>"
    )


def fault(code: str, message: str) -> str:
    """A SOAP fault as the Metadata API sends it (HTTP 500)."""
    return envelope(
        f"<soapenv:Fault><faultcode>sf:{escape(code)}</faultcode><faultstring>{escape(code)}: {escape(message)}"
        "</faultstring></soapenv:Fault>"
    )


def _element(name: str, value: object) -> str:
    text = str(value).lower() if isinstance(value, bool) else str(value)
    return f"<{name}>{escape(text)}</{name}>"


SESSION_TIMEOUTS = {
    15: "FifteenMinutes",
    30: "ThirtyMinutes",
    60: "SixtyMinutes",
    90: "NinetyMinutes",
    120: "TwoHours",
    240: "FourHours",
    480: "EightHours",
    720: "TwelveHours",
    1440: "TwentyFourHours",
}
EXPIRATIONS = {30: "ThirtyDays", 60: "SixtyDays", 90: "NinetyDays", 180: "SixMonths", 365: "OneYear", 0: "Never"}
LOCKOUTS = {15: "FifteenMinutes", 30: "ThirtyMinutes", 60: "SixtyMinutes", 0: "Forever"}
LOGIN_ATTEMPTS = {3: "ThreeAttempts", 5: "FiveAttempts", 10: "TenAttempts", 0: "NoLimit"}


def _elements(fields: dict[str, object]) -> str:
    """Child elements in name order, as the Metadata API returns them."""
    return "".join(_element(name, value) for name, value in sorted(fields.items()))


def _security(posture: Posture) -> str:
    """The `Security` record: trusted ranges, password policies and session settings by API name.

    Enumerated fields carry Salesforce's enum names (`TwelveHours`, `NoLimit`), never minutes or labels;
    `requireHttps` is absent, as on API versions after 60.0.
    """
    ranges = "".join(
        f"<ipRanges>{_element('description', note)}{_element('end', end)}{_element('start', start)}</ipRanges>"
        for start, end, note in posture.org_ip_ranges
    )
    passwords = _elements(
        {
            "complexity": posture.complexity,
            "expiration": EXPIRATIONS[posture.expiration_days],
            "historyRestriction": posture.history,
            "lockoutInterval": LOCKOUTS[posture.lockout_minutes],
            "maxLoginAttempts": LOGIN_ATTEMPTS[posture.max_login_attempts],
            "minimumPasswordLength": posture.min_password_length,
            "minimumPasswordLifetime": posture.session_hardening,
            "obscureSecretAnswer": posture.session_hardening,
            "questionRestriction": "DoesNotContainPassword",
        }
    )
    hardening = posture.session_hardening
    session = _elements(
        {
            "enableCSRFOnGet": hardening,
            "enableCSRFOnPost": hardening,
            "enableClickjackSetup": hardening,
            "enableMFADirectUILoginOptIn": posture.mfa_org_required,
            "forceLogoutOnSessionTimeout": hardening,
            "lockSessionsToDomain": hardening,
            "lockSessionsToIp": hardening,
            "requireHttpOnly": hardening,
            "sessionTimeout": SESSION_TIMEOUTS[posture.session_timeout_minutes],
        }
    )
    return (
        f'<records xsi:type="SecuritySettings"><fullName>Security</fullName>'
        f"<networkAccess>{ranges}</networkAccess><passwordPolicies>{passwords}</passwordPolicies>"
        f"<sessionSettings>{session}</sessionSettings></records>"
    )


def _connected_app(posture: Posture, full_name: str) -> str:
    label = next((label for label, name in APP_NAMES.items() if name == full_name), None)
    if label is None:
        return "<records/>"
    scopes = "".join(_element("scopes", scope) for scope in posture.app_scopes)
    policy = _element("ipRelaxation", posture.ip_relaxation) + _element("refreshTokenPolicy", posture.refresh_policy)
    return (
        f'<records xsi:type="ConnectedApp">{_element("fullName", full_name)}{_element("label", label)}'
        f"<oauthConfig>{scopes}</oauthConfig><oauthPolicy>{policy}</oauthPolicy></records>"
    )


def _refresh_policy(posture: Posture) -> dict[str, object]:
    """The scenario's refresh-token policy in ExtlClntAppOauthConfigurablePolicies terms."""
    match = _REFRESH.fullmatch(posture.refresh_policy)
    if match is None:
        return {"refreshTokenPolicyType": "Zero" if posture.refresh_policy == "zero" else "Infinite"}
    kind = "SpecificLifetime" if match.group(1) == "specific_lifetime" else "SpecificInactivity"
    return {
        "refreshTokenPolicyType": kind,
        "refreshTokenValidityPeriod": int(match.group(2)),
        "refreshTokenValidityUnit": match.group(3).capitalize(),
    }


def _external(posture: Posture, kind: str, full_name: str) -> str:
    """An external client app component (the app, its OAuth settings or its OAuth policies), or an empty record."""
    for app, label in EXTERNAL_APPS:
        fields: dict[str, object]
        if kind == "ExternalClientApplication" and full_name == app:
            fields = {"contactEmail": "it@acme-lab.example.test", "distributionState": "Local", "isProtected": False,
                      "label": label}  # fmt: skip
        elif kind == "ExtlClntAppOauthSettings" and full_name == f"{app}_oauth":
            fields = {"commaSeparatedOauthScopes": ",".join(posture.app_scopes), "externalClientApplication": app,
                      "label": f"{app}_oauth"}  # fmt: skip
        elif kind == "ExtlClntAppOauthConfigurablePolicies" and full_name == f"{app}_oauthPlcy":
            fields = {
                "externalClientApplication": app,
                "ipRelaxationPolicyType": "Enforce" if posture.ip_relaxation == "ENFORCE" else "Bypass",
                "label": f"{app}_oauthPlcy",
                "permittedUsersPolicyType": "AdminApprovedPreAuthorized"
                if posture.admin_approved_only
                else "AllSelfAuthorized",
                **_refresh_policy(posture),
            }
        else:
            continue
        return f'<records xsi:type="{kind}">{_element("fullName", full_name)}{_elements(fields)}</records>'
    return "<records/>"


def _profile(posture: Posture, full_name: str) -> str:
    ranges = ""
    if full_name in ADMIN_PROFILES:
        ranges = "".join(
            f"<loginIpRanges>{_element('endAddress', end)}{_element('startAddress', start)}</loginIpRanges>"
            for start, end in posture.admin_profile_ip_ranges
        )
    return f'<records xsi:type="Profile">{_element("fullName", full_name)}{ranges}</records>'


def _components(kind: str) -> list[tuple[str, str, str]]:
    """(full name, record id, file name) of every component of `kind` the lab org has."""
    if kind == "ConnectedApp":
        return [
            (name, record_id("0H4", i), f"connectedApps/{name}.connectedApp")
            for i, name in enumerate(APP_NAMES.values())
        ]
    if kind == "Profile":
        return [(name, record_id("00e", i), f"profiles/{name}.profile") for i, name in enumerate(PROFILE_NAMES)]
    folders = {
        "ExternalClientApplication": ("", "externalClientApps", "eca"),
        "ExtlClntAppOauthSettings": ("_oauth", "extlClntAppOauthSettings", "ecaOauth"),
        "ExtlClntAppOauthConfigurablePolicies": ("_oauthPlcy", "extlClntAppOauthPolicies", "ecaOauthPlcy"),
    }
    if kind not in folders:
        return []
    suffix, folder, extension = folders[kind]
    prefix = {"ExternalClientApplication": "0xI", "ExtlClntAppOauthSettings": "0xJ"}.get(kind, "0xK")
    return [
        (f"{app}{suffix}", record_id(prefix, i), f"{folder}/{app}{suffix}.{extension}")
        for i, (app, _label) in enumerate(EXTERNAL_APPS)
    ]


def list_metadata(kinds: list[str], *, now: datetime) -> tuple[int, str]:
    """(HTTP status, SOAP body) for one listMetadata call: FileProperties per component (at most 3 queries)."""
    if not kinds or len(kinds) > 3:
        return 500, fault("INVALID_TYPE", "listMetadata takes one to three queries")
    unknown = [kind for kind in kinds if kind not in _SERVED]
    if unknown:
        return 500, fault("INVALID_TYPE", f"the lab does not serve metadata type {unknown[0]}")
    created = (now - timedelta(days=400)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    results = "".join(
        "<result>"
        + _elements(
            {
                "createdById": "005Lb0000000000000",
                "createdByName": "Lab Admin",
                "createdDate": created,
                "fileName": file_name,
                "fullName": full_name,
                "id": component_id,
                "lastModifiedById": "005Lb0000000000000",
                "lastModifiedByName": "Lab Admin",
                "lastModifiedDate": created,
                "manageableState": "unmanaged",
                "type": kind,
            }
        )
        + "</result>"
        for kind in kinds
        for full_name, component_id, file_name in _components(kind)
    )
    return 200, envelope(f"<listMetadataResponse>{results}</listMetadataResponse>")


def respond(posture: Posture, body: str, *, now: datetime) -> tuple[int, str]:
    """(HTTP status, SOAP body) for one Metadata API call (listMetadata or readMetadata)."""
    if re.search(r"<(?:\w+:)?listMetadata\b", body):
        return list_metadata(_TYPE.findall(body), now=now)
    kind, names, _session = parse_request(body)
    return read_metadata(posture, kind, names)


def read_metadata(posture: Posture, kind: str | None, full_names: list[str]) -> tuple[int, str]:
    """(HTTP status, SOAP body) for one readMetadata call."""
    if kind is None or not full_names:
        return 500, fault("INVALID_TYPE", "readMetadata needs a type and at least one fullNames")
    if len(full_names) > 10:
        return 500, fault("LIMIT_EXCEEDED", "readMetadata accepts at most 10 fullNames")
    if kind == "SecuritySettings":
        records = [_security(posture) if name == "Security" else "<records/>" for name in full_names]
    elif kind == "ConnectedApp":
        records = [_connected_app(posture, name) for name in full_names]
    elif kind == "Profile":
        records = [_profile(posture, name) for name in full_names]
    elif kind in _SERVED:
        records = [_external(posture, kind, name) for name in full_names]
    else:
        return 500, fault("INVALID_TYPE", f"the lab does not serve metadata type {kind}")
    return 200, envelope(f"<readMetadataResponse><result>{''.join(records)}</result></readMetadataResponse>")
