"""The evidence key catalogue: every platform-neutral key, its owner dimension, meaning and JSON Schema.

Every snapshot is checked against it when built (`crmsec.evidence.EvidenceSnapshot`, by a connector, from
evidence.json, inputs or an API caller): a value of the wrong shape becomes an `evidence_unusable` error naming
the key and JSON path, so checks needing it give ERROR. `raw.*` and plugin keys are not checked. Fields may be
`null` (unknown) and extra fields are allowed (platform additions). A leaf module: imports only the vocabulary.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from crmsec.vocabulary import Dimension

Schema = dict[str, Any]


@dataclass(frozen=True, slots=True)
class EvidenceKey:
    """One catalogued key: its name, the dimension that owns it, what it holds, and its value's schema."""

    name: str
    owner: Dimension
    description: str
    schema: Schema


def _t(*types: str) -> Schema:
    """A field of these JSON types (`null` allowed: unknown is always a possible answer)."""
    return {"type": [*types, "null"]}


STR, BOOL, INT, NUM = _t("string"), _t("boolean"), _t("integer"), _t("number")
STRINGS: Schema = {"type": ["array", "null"], "items": {"type": "string"}}
COUNTS: Schema = {"type": ["object", "null"], "additionalProperties": {"type": ["number", "null"]}}


def _object(**fields: Schema) -> Schema:
    """An object with these typed fields, each optional: a check decides what a missing field means."""
    return {"type": "object", "properties": dict(fields)}


def _list_of(item: Schema) -> Schema:
    return {"type": "array", "items": item}


def _nullable(schema: Schema) -> Schema:  # an object or `null`
    return {"anyOf": [schema, {"type": "null"}]}


_RANGE = _object(start=STR, end=STR)
_UNREAD = _t("object")

_USER = _object(
    id=STR,
    username=STR,
    name=STR,
    active=BOOL,
    user_type=STR,
    created_at=STR,
    last_login_at=STR,
    profile=STR,
    role=STR,
    permission_sets=STRINGS,
    permissions=STRINGS,
    is_admin=BOOL,
    mfa_registered=BOOL,
    mfa_required=BOOL,
    sso=BOOL,
    is_integration=BOOL,
    unread_permissions=_UNREAD,
)
_PROFILE = _object(
    name=STR,
    user_type=STR,
    permissions=STRINGS,
    user_count=INT,
    is_admin=BOOL,
    login_ip_ranges={"type": ["array", "null"], "items": _RANGE},
    session_timeout_minutes=NUM,
    unread_permissions=_UNREAD,
)
_PERMISSION_SET = _object(
    name=STR, label=STR, permissions=STRINGS, assignee_count=INT, owned_by_profile=BOOL, unread_permissions=_UNREAD
)
_OBJECT_PERMISSION = _object(
    profile=STR,
    user_type=STR,
    object=STR,
    read=BOOL,
    create=BOOL,
    edit=BOOL,
    delete=BOOL,
    view_all=BOOL,
    modify_all=BOOL,
)
_FIELD = _object(
    name=STR,
    label=STR,
    type=STR,
    encrypted=BOOL,
    history_tracked=BOOL,
    classification=STR,
    retention_rule=_t("string", "boolean"),
)
_SCHEMA_OBJECT = _object(name=STR, label=STR, record_count=INT, fields=_list_of(_FIELD))
_RETENTION = _nullable(_object(enabled=BOOL, retention_days=NUM, retention_months=NUM))
_TLS_SCAN = _object(
    host=STR,
    port=INT,
    reachable=BOOL,
    error=STR,
    protocols=_t("object"),
    cipher_suites={"type": ["object", "null"], "additionalProperties": STRINGS},
    mozilla_intermediate=_nullable(_object(compliant=BOOL, issues=STRINGS)),
    certificate=_nullable(
        _object(
            trusted=BOOL,
            hostname_matches=BOOL,
            not_before=STR,
            not_after=STR,
            key_type=STR,
            key_size=INT,
            signature_algorithm=STR,
            subject=STR,
            issuer=STR,
        )
    ),
)
_HTTP_PROBE = _object(
    url=STR,
    status=INT,
    describes_target=BOOL,
    headers={"type": ["object", "null"], "additionalProperties": {"type": "string"}},
    cookies={
        "type": ["array", "null"],
        "items": _object(name={"type": "string"}, secure=BOOL, http_only=BOOL, same_site=STR),
    },
    hsts=_nullable(_object(max_age=INT, include_subdomains=BOOL, preload=BOOL)),
)

_D = Dimension
_KEYS = (
    EvidenceKey(
        "org.info",
        _D.PLATFORM_CONFIGURATION,
        "the org or instance: id, name, edition, instance, sandbox flag, API version",
        _object(id=STR, name=STR, edition=STR, instance=STR, is_sandbox=BOOL, api_version=_t("string", "number")),
    ),
    EvidenceKey(
        "identity.users", _D.ACCESS_CONTROL, "every user account with its permissions and MFA state", _list_of(_USER)
    ),
    EvidenceKey(
        "identity.profiles",
        _D.ACCESS_CONTROL,
        "profiles (roles) with their permissions and user counts",
        _list_of(_PROFILE),
    ),
    EvidenceKey(
        "identity.permission_sets",
        _D.ACCESS_CONTROL,
        "permission sets with permissions and assignees",
        _list_of(_PERMISSION_SET),
    ),
    EvidenceKey(
        "auth.password_policy",
        _D.AUTHENTICATION,
        "password length, complexity, history, expiry and lockout",
        _object(
            min_length=INT,
            complexity=_t("string", "integer", "boolean"),
            history_count=INT,
            expiration_days=NUM,
            max_login_attempts=INT,
            lockout_minutes=NUM,
        ),
    ),
    EvidenceKey(
        "auth.session_settings",
        _D.AUTHENTICATION,
        "session timeout and cookie/CSRF/clickjacking protections",
        _object(
            idle_timeout_minutes=NUM,
            lock_sessions_to_ip=BOOL,
            lock_sessions_to_domain=BOOL,
            https_required=BOOL,
            clickjack_protection=_t("boolean", "string"),
            http_only_cookies=BOOL,
            csrf_protection=BOOL,
            force_logout_on_timeout=BOOL,
        ),
    ),
    EvidenceKey(
        "auth.login_ip_ranges",
        _D.AUTHENTICATION,
        "login IP ranges of the org and of each profile",
        _object(
            org={"type": ["array", "null"], "items": _RANGE},
            profiles={"type": ["object", "null"], "additionalProperties": {"type": ["array", "null"], "items": _RANGE}},
        ),
    ),
    EvidenceKey(
        "auth.mfa",
        _D.AUTHENTICATION,
        "whether MFA is enforced for everyone and for admins, and how",
        _object(enforced_for_all=BOOL, enforced_for_admins=BOOL, enforcement=STR),
    ),
    EvidenceKey(
        "auth.sso",
        _D.AUTHENTICATION,
        "single sign-on and its identity providers",
        _object(enabled=BOOL, providers={"type": ["array", "null"], "items": _object(name=STR, protocol=STR)}),
    ),
    EvidenceKey(
        "access.object_permissions",
        _D.ACCESS_CONTROL,
        "CRUD and view/modify-all rights per profile and object",
        _list_of(_OBJECT_PERMISSION),
    ),
    EvidenceKey(
        "access.org_defaults",
        _D.ACCESS_CONTROL,
        "organization-wide sharing default per object",
        {"type": "object", "additionalProperties": STR},
    ),
    EvidenceKey(
        "integrations.connected_apps",
        _D.INTEGRATIONS,
        "OAuth client applications with scopes and refresh-token policy",
        _list_of(
            _object(
                name=STR,
                kind=STR,
                api_name=STR,
                scopes=STRINGS,
                refresh_token_policy=STR,
                refresh_token_validity_days=NUM,
                admin_approved_only=BOOL,
                ip_relaxed=BOOL,
                created_at=STR,
                note=STR,
            )
        ),
    ),
    EvidenceKey(
        "integrations.oauth_tokens",
        _D.INTEGRATIONS,
        "OAuth tokens granted to apps, with their use",
        _list_of(_object(app=STR, user=STR, created_at=STR, last_used_at=STR, use_count=INT)),
    ),
    EvidenceKey(
        "integrations.api_keys",
        _D.INTEGRATIONS,
        "API keys with owner, age, expiry and scopes",
        _list_of(
            _object(
                name=STR,
                owner=STR,
                created_at=STR,
                expires_at=STR,
                last_used_at=STR,
                scopes=STRINGS,
                owner_is_admin=BOOL,
                active=BOOL,
            )
        ),
    ),
    EvidenceKey(
        "encryption.platform",
        _D.ENCRYPTION,
        "platform encryption: encrypted fields, keys, database encryption",
        _object(
            enabled=BOOL,
            provider=STR,
            encrypted_fields=STRINGS,
            keys={"type": ["array", "null"], "items": {"type": "object"}},
            database_encrypted=BOOL,
        ),
    ),
    EvidenceKey(
        "backup.status",
        _D.BACKUP,
        "backup schedule, last success, retention, restore tests",
        _object(
            configured=BOOL,
            schedule=STR,
            last_success_at=STR,
            retention_days=NUM,
            last_restore_test_at=STR,
            encrypted=BOOL,
            source=STR,
            note=STR,
        ),
    ),
    EvidenceKey(
        "schema.objects",
        _D.PII,
        "objects and fields with encryption, history tracking and classification",
        _list_of(_SCHEMA_OBJECT),
    ),
    EvidenceKey(
        "data.samples",
        _D.PII,
        "PII detections per sampled field: counts by category and masked examples",
        _list_of(
            _object(object=STR, field=STR, sampled=INT, non_empty=INT, detections=COUNTS, masked_examples=STRINGS)
        ),
    ),
    EvidenceKey(
        "data.quality",
        _D.DATA_QUALITY,
        "completeness, validity, duplicates and staleness of sampled records",
        _list_of(
            _object(
                object=STR,
                sampled=INT,
                key_fields=STRINGS,
                completeness=COUNTS,
                invalid_email=NUM,
                invalid_phone=NUM,
                duplicates=NUM,
                inconsistent=NUM,
                stale=NUM,
                stale_months=NUM,
            )
        ),
    ),
    EvidenceKey(
        "audit.settings",
        _D.AUDIT_LOGGING,
        "audit trail, login history, event monitoring, field history and audit log settings",
        _object(
            setup_audit_trail=_RETENTION,
            login_history=_RETENTION,
            event_monitoring=_RETENTION,
            field_history=_RETENTION,
            audit_log=_RETENTION,
        ),
    ),
    EvidenceKey(
        "platform.health_check",
        _D.PLATFORM_CONFIGURATION,
        "the platform's own security health check: score, baseline and risky settings",
        _object(score=NUM, baseline=STR, risks={"type": ["array", "null"], "items": {"type": "object"}}),
    ),
    EvidenceKey(
        "platform.config",
        _D.PLATFORM_CONFIGURATION,
        "self-hosted server configuration: debug mode, secret key, CORS, hosts, admin UI, banner",
        _object(
            debug_mode=BOOL,
            secret_key_weak=BOOL,
            cors_allow_all_origins=BOOL,
            allowed_hosts_wildcard=BOOL,
            admin_interface_exposed=BOOL,
            server_banner=STR,
        ),
    ),
    EvidenceKey(
        "http.probe", _D.TLS, "the target's HTTP answer: status, security headers, cookie flags, HSTS", _HTTP_PROBE
    ),
    EvidenceKey(
        "tls.scan", _D.TLS, "TLS protocols, cipher suites, Mozilla-intermediate compliance, certificate", _TLS_SCAN
    ),
    EvidenceKey(
        "usage.activity",
        _D.USABILITY,
        "licensed and active users, logins, records touched per object",
        _object(licensed_users=INT, active_users_30d=INT, logins_last_30d=INT, object_adoption=COUNTS),
    ),
    EvidenceKey(
        "stability.api",
        _D.STABILITY,
        "requests, errors and latency measured by the connector's HTTP layer",
        _object(requests=INT, errors=INT, latency_ms=_nullable(_object(p50=NUM, p95=NUM, max=NUM))),
    ),
    EvidenceKey("inputs.survey", _D.SATISFACTION, "survey.csv, parsed (docs/inputs.md)", {"type": "object"}),
    EvidenceKey(
        "inputs.requirements", _D.FUNCTIONALITY, "requirements.yaml, parsed (docs/inputs.md)", {"type": "object"}
    ),
    EvidenceKey("inputs.kpis", _D.BUSINESS_VALUE, "kpis.yaml, parsed (docs/inputs.md)", {"type": "object"}),
    EvidenceKey("inputs.costs", _D.BUSINESS_VALUE, "costs.yaml, parsed (docs/inputs.md)", {"type": "object"}),
    EvidenceKey("inputs.incidents", _D.STABILITY, "incidents.csv, parsed (docs/inputs.md)", {"type": "object"}),
    EvidenceKey(
        "metrics.computed",
        _D.BUSINESS_VALUE,
        "metrics computed at evaluation from evidence and inputs (docs/metrics.md)",
        {"type": "object", "additionalProperties": {"type": "object"}},
    ),
)

CATALOGUE: Mapping[str, EvidenceKey] = {key.name: key for key in _KEYS}  # every catalogued key by name


def get(name: str) -> EvidenceKey | None:
    """The catalogue entry of a key, or None for a key the catalogue does not describe (raw.*, plugins)."""
    return CATALOGUE.get(name)
