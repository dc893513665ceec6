"""Turn the outcomes of one Salesforce collection into evidence items (values or errors with a reason).

Each key names the fetches it needs; when a required fetch failed, the key records that fetch's error
(reason and endpoint), so nothing disappears silently. Optional inputs that failed leave `null` fields.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection
from datetime import datetime, timedelta
from typing import Any

from crmsec.connectors.base import Recorder
from crmsec.connectors.salesforce import data, identity, platform, settings
from crmsec.connectors.salesforce.values import nested, parse_time
from crmsec.errors import ConnectorError, Reason


class _Missing(Exception):
    """A required fetch failed; carries its ConnectorError."""

    def __init__(self, error: ConnectorError) -> None:
        super().__init__(str(error))
        self.error = error


class EvidenceBuilder:
    """Builds every evidence key from fetch outcomes."""

    def __init__(self, results: dict[str, Any], *, api_version: str, now: datetime) -> None:
        self.results = results
        self.api_version = api_version
        self.now = now
        self._model: identity.PermissionModel | None = None

    def need(self, name: str) -> Any:
        """The value of fetch `name`, or _Missing with its error."""
        outcome = self.results.get(name)
        if isinstance(outcome, ConnectorError):
            raise _Missing(outcome)
        return outcome

    def optional(self, name: str) -> Any:
        """The value of fetch `name`, or None when the org does not have it (`not_supported`).

        Any other failure (permission denied, timeout, ...) makes the whole key an evidence error: filling
        the gap with nulls would silently drop a failed request.
        """
        outcome = self.results.get(name)
        if isinstance(outcome, ConnectorError):
            if outcome.reason is Reason.NOT_SUPPORTED:
                return None
            raise _Missing(outcome)
        return outcome

    def records(self, name: str, part: str) -> Any:
        """The records of one composite subquery (`part`) of fetch `name`."""
        body = self.need(name).get(part)
        if isinstance(body, ConnectorError):
            raise _Missing(body)
        return body.get("records", []) if isinstance(body, dict) else []

    def builders(self) -> dict[str, tuple[str, Callable[[], Any]]]:
        """Evidence key -> (what it is read from, for the source; the function building its value)."""
        return {
            "org.info": ("Organization", self.org_info),
            "access.org_defaults": ("Organization", lambda: identity.org_defaults(self.organization())),
            "identity.users": ("User", self.users),
            "identity.profiles": ("Profile", self.profiles),
            "identity.permission_sets": ("PermissionSet", lambda: identity.permission_sets(self.model())),
            "access.object_permissions": ("ObjectPermissions", self.object_permissions),
            "auth.password_policy": ("SecurityHealthCheckRisks", lambda: settings.password_policy(self.risks())),
            "auth.session_settings": ("SecurityHealthCheckRisks", lambda: settings.session_settings(self.risks())),
            "auth.mfa": ("SecurityHealthCheckRisks", self.mfa),
            "auth.login_ip_ranges": ("readMetadata SecuritySettings, Profile", self.login_ip_ranges),
            "auth.sso": ("SamlSsoConfig", lambda: settings.sso(self.need("saml"), self.optional("providers"))),
            "integrations.connected_apps": ("ConnectedApplication", self.connected_apps),
            "integrations.oauth_tokens": ("OauthToken", lambda: platform.oauth_tokens(self.need("tokens"))),
            "encryption.platform": ("TenantSecret", self.encryption),
            "audit.settings": ("SetupAuditTrail, EventLogFile, LoginHistory", self.audit),
            "backup.status": ("Backup log object", self.backup),
            "schema.objects": ("describe", self.schema),
            "data.samples": ("query sample", self.samples),
            "data.quality": ("query sample", self.quality),
            "platform.health_check": ("SecurityHealthCheck", self.health),
            "usage.activity": ("User, LoginHistory", self.usage),
        }

    def record_key(self, recorder: Recorder, key: str) -> None:
        """Record one key (its value, or the error of the fetch it needed)."""
        what, build = self.builders()[key]
        if not recorder.wants(key):
            return
        try:
            recorder.add(key, build(), source=f"salesforce {what}")
        except _Missing as missing:
            recorder.fail_from(key, missing.error)

    def record(self, recorder: Recorder, *, done: Collection[str] = ()) -> None:
        """Record every key not in `done` (values, or errors with the failing fetch's reason)."""
        for key in self.builders():
            if key not in done:
                self.record_key(recorder, key)
        recorder.fail(
            "integrations.api_keys",
            Reason.NOT_SUPPORTED,
            "Salesforce has no API keys: integrations authenticate through connected apps (OAuth)",
            source="salesforce",
        )
        recorder.fail(
            "platform.config",
            Reason.NOT_SUPPORTED,
            "Salesforce is SaaS: server configuration is not the customer's",
            source="salesforce",
        )

    def organization(self) -> dict[str, Any]:
        rows = self.need("organization")
        if not rows:
            raise _Missing(
                ConnectorError(
                    "the Organization query returned no row",
                    endpoint="GET /services/data/query",
                    reason=Reason.MALFORMED_RESPONSE,
                )
            )
        return dict(rows[0])

    def org_info(self) -> Any:
        return platform.org_info(self.organization(), self.api_version)

    def model(self) -> identity.PermissionModel:
        if self._model is None:
            self._model = identity.PermissionModel.build(self.need("permission_sets"), self.need("assignments"))
        return self._model

    def risks(self) -> dict[str, Any]:
        return settings.risks_by_setting(self.records("tooling", "risks"))

    def _org_mfa(self) -> bool | None:
        try:
            return settings.org_mfa_required(self.risks())
        except _Missing:
            return None

    def users(self) -> list[dict[str, Any]]:
        model, org_mfa = self.model(), self._org_mfa()
        return [
            identity.normalize_user(row, model, mfa_registered=self.optional("mfa"), org_mfa_required=org_mfa)
            for row in self.need("users")
        ]

    def profiles(self) -> list[dict[str, Any]]:
        counts: Counter[str] = Counter(str(row[5]) for row in self.optional("users") or () if row[3])
        metadata = self.optional("profile_metadata")
        ranges = settings.profile_ranges(metadata[1], metadata[0]) if metadata else None
        return identity.profiles(self.need("profiles"), self.model(), counts, ip_ranges=ranges, session_timeout=None)

    def object_permissions(self) -> list[dict[str, Any]]:
        types = {
            str(row.get("Name")): identity.USER_TYPES.get(str(row.get("UserType")), "portal")
            for row in self.need("profiles")
        }
        return identity.object_permissions(self.need("object_permissions"), self.model(), types)

    def mfa(self) -> dict[str, Any]:
        org = settings.org_mfa_required(self.risks())
        admins_forced = None
        users, model = self.optional("users"), self._model_or_none()
        if users is not None and model is not None:
            admin_rows = [
                row
                for row in users
                if row[3]
                and identity.ADMIN_PERMISSIONS.intersection(
                    permission for entry in model.for_user(str(row[0]), row[5]) for permission in entry["permissions"]
                )
            ]
            admins_forced = bool(admin_rows) and all(
                any(entry["force_mfa"] for entry in model.for_user(str(row[0]), row[5])) for row in admin_rows
            )
        for_admins = True if org or admins_forced else (None if org is None and admins_forced is None else False)
        enforcement = "org" if org else ("permission" if admins_forced else None)
        return {"enforced_for_all": org, "enforced_for_admins": for_admins, "enforcement": enforcement}

    def _model_or_none(self) -> identity.PermissionModel | None:
        try:
            return self.model()
        except _Missing:
            return None

    def login_ip_ranges(self) -> dict[str, Any]:
        security = self.optional("security")
        metadata = self.optional("profile_metadata")
        if security is None and metadata is None:
            self.need("security")
        org = settings.trusted_ranges(security[0] if security else {}) if security is not None else None
        profiles = settings.profile_ranges(metadata[1], metadata[0]) if metadata else {}
        return {"org": org, "profiles": profiles}

    def connected_apps(self) -> list[dict[str, Any]]:
        return platform.connected_apps(self.need("apps"), self.optional("app_metadata"))

    def _encrypted_fields(self) -> list[str]:
        schema = self.need("schema")
        return [
            f"{describe['name']}.{field['name']}"
            for describe in schema.values()
            if isinstance(describe, dict) and "fields" in describe
            for field in describe["fields"]
            if field.get("encrypted") is True
        ]

    def encryption(self) -> dict[str, Any]:
        outcome = self.results.get("secrets")
        if isinstance(outcome, ConnectorError) and outcome.reason is not Reason.NOT_SUPPORTED:
            raise _Missing(outcome)
        secrets = [] if isinstance(outcome, ConnectorError) else outcome
        return platform.encryption(secrets, self._encrypted_fields())

    def audit(self) -> dict[str, Any]:
        events = self.results.get("events")
        if isinstance(events, ConnectorError) and events.reason is not Reason.NOT_SUPPORTED:
            raise _Missing(events)
        tracked = None
        try:
            tracked = sum(1 for row in self.records("tooling", "fields") if row.get("IsFieldHistoryTracked") is True)
        except _Missing:
            tracked = None
        return platform.audit_settings(
            trail=self.need("trail"),
            events=[] if isinstance(events, ConnectorError) else events,
            logins_30d=self.optional("logins_30d"),
            tracked_fields=tracked,
            now=self.now,
        )

    def backup(self) -> dict[str, Any]:
        outcome = self.results.get("backup")
        if isinstance(outcome, ConnectorError) and outcome.reason is Reason.NOT_SUPPORTED:
            raise _Missing(
                ConnectorError(
                    "the org has no backup log object: backups need manual evidence",
                    endpoint=outcome.endpoint,
                    reason=Reason.NOT_SUPPORTED,
                )
            )
        return platform.backup_status(self.need("backup"), source="salesforce Backup_Log__c")

    def schema(self) -> list[dict[str, Any]]:
        schema = self.need("schema")
        counts_body = schema.get("counts")
        counts = (
            {row.get("name"): row.get("count") for row in (counts_body or {}).get("sObjects", [])}
            if isinstance(counts_body, dict)
            else {}
        )
        try:
            definitions = {
                f"{nested(row, 'EntityDefinition.QualifiedApiName')}.{row.get('QualifiedApiName')}": row
                for row in self.records("tooling", "fields")
            }
        except _Missing:
            definitions = {}
        objects = [
            data.schema_object(describe, record_count=counts.get(name), definitions=definitions)
            for name, describe in schema.items()
            if name != "counts" and isinstance(describe, dict)
        ]
        if not objects:
            first_error = next(value for value in schema.values() if isinstance(value, ConnectorError))
            raise _Missing(first_error)
        return sorted(objects, key=lambda entry: str(entry["name"]))

    def _sampled(self) -> dict[str, data.Sampled]:
        outcomes = self.need("samples")
        good = {name: value for name, value in outcomes.items() if isinstance(value, data.Sampled)}
        if not good:
            raise _Missing(next(iter(outcomes.values())))
        return good

    def samples(self) -> list[dict[str, Any]]:
        return [entry for _name, sampled in sorted(self._sampled().items()) for entry in sampled.samples]

    def quality(self) -> list[dict[str, Any]]:
        return [sampled.quality for _name, sampled in sorted(self._sampled().items())]

    def health(self) -> dict[str, Any]:
        check = self.records("tooling", "check")
        return settings.health_check(check[0] if check else None, self.records("tooling", "risks"))

    def usage(self) -> dict[str, Any]:
        users = self.need("users")
        cutoff = self.now - timedelta(days=30)
        internal = [row for row in users if row[3] and row[4] == "Standard"]
        active = sum(1 for row in internal if (moment := parse_time(row[8])) and moment >= cutoff)
        adoption: dict[str, int | None] = {}
        for name, body in (self.optional("adoption") or {}).items():
            adoption[name] = body.get("totalSize") if isinstance(body, dict) else None
        return {
            "licensed_users": len(internal),
            "active_users_30d": active,
            "logins_last_30d": self.optional("logins_30d"),
            "object_adoption": adoption,
        }
