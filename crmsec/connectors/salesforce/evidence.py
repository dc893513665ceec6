"""Turn the outcomes of one Salesforce collection into evidence items (values or errors with a reason).

Each key names the fetches it needs; when a required fetch failed, the key records that fetch's error
(reason and endpoint), so nothing disappears silently. Fail closed: a part the org does not have
(`not_supported`: no Shield, an absent object) reads as absent, but any other failure, whole or partial
(one describe, one sampled object, one subquery of a composite), makes the whole key an error. A key is
never built from what happened to come back, with `null` fields or objects left out in place of a failure.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection
from datetime import datetime, timedelta
from typing import Any

from crmsec.connectors.base import Recorder
from crmsec.connectors.salesforce import data, external_apps, identity, platform, settings
from crmsec.connectors.salesforce.values import nested, parse_time
from crmsec.errors import ConnectorError, Reason

PRODUCES: tuple[str, ...] = (
    "org.info", "identity.users", "identity.profiles", "identity.permission_sets", "auth.password_policy",
    "auth.session_settings", "auth.login_ip_ranges", "auth.mfa", "auth.sso", "access.object_permissions",
    "access.org_defaults", "integrations.connected_apps", "integrations.oauth_tokens", "encryption.platform",
    "backup.status", "schema.objects", "data.samples", "data.quality", "audit.settings",
    "platform.health_check", "usage.activity", "http.probe", "stability.api", "tls.scan",
)  # fmt: skip
"""The evidence keys the Salesforce connector records values for (or the error of the request that failed)."""
UNSUPPORTED: tuple[str, ...] = ("integrations.api_keys", "platform.config")
"""The keys it always records as `not_supported` (`EvidenceBuilder.record`)."""


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
        if not isinstance(body, dict) or not isinstance(body.get("records"), list):
            raise _Missing(
                ConnectorError(
                    f"the {part} subquery answered without records",
                    endpoint="POST /services/data/composite",
                    reason=Reason.MALFORMED_RESPONSE,
                )
            )
        return body["records"]

    def parts(self, name: str) -> dict[str, Any]:
        """The answers of composite fetch `name` by reference, without the parts the org lacks (`not_supported`).

        Any other failed part raises: a key built from the parts that happened to answer would misjudge the org.
        """
        answers: dict[str, Any] = {}
        for reference, body in self.need(name).items():
            if isinstance(body, ConnectorError):
                if body.reason is not Reason.NOT_SUPPORTED:
                    raise _Missing(body)
                continue
            answers[reference] = body
        return answers

    def builders(self) -> dict[str, tuple[str, Callable[[], Any]]]:
        """Evidence key -> (what it is read from, for the source; the function building its value)."""
        return {
            "org.info": ("Organization", self.org_info),
            "access.org_defaults": ("Organization", lambda: identity.org_defaults(self.organization())),
            "identity.users": ("User", self.users),
            "identity.profiles": ("Profile", self.profiles),
            "identity.permission_sets": ("PermissionSet", lambda: identity.permission_sets(self.model())),
            "access.object_permissions": ("ObjectPermissions", self.object_permissions),
            "auth.password_policy": ("SecuritySettings metadata", lambda: self.security(settings.password_policy)),
            "auth.session_settings": ("SecuritySettings metadata", lambda: self.security(settings.session_settings)),
            "auth.mfa": ("SecuritySettings metadata, PermissionSet", self.mfa),
            "auth.login_ip_ranges": ("readMetadata SecuritySettings, Profile", self.login_ip_ranges),
            "auth.sso": ("SamlSsoConfig", lambda: settings.sso(self.need("saml"), self.optional("providers"))),
            "integrations.connected_apps": ("ConnectedApplication", self.connected_apps),
            "integrations.oauth_tokens": ("OauthToken", lambda: platform.oauth_tokens(self.need("tokens"))),
            "encryption.platform": ("TenantSecret", self.encryption),
            "audit.settings": ("SetupAuditTrail, EventLogFile, LoginHistory", self.audit),
            "backup.status": ("deployment facts (no backup API)", self.backup),
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
        except ConnectorError as error:  # a value the reference does not allow (malformed_response)
            recorder.fail_from(key, error)

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
            self._model = identity.PermissionModel.build(
                self.need("permission_sets"),
                self.need("assignments"),
                unread=self.need("permission_columns").unread,
            )
        return self._model

    def security(self, read: Callable[[Any], Any]) -> Any:
        """`read` applied to the SecuritySettings record (settings are read by API name, never by label)."""
        return read(settings.security_record(self.need("security")))

    def _org_mfa(self) -> bool | None:
        """Whether the org requires MFA for every UI login; None only when the org cannot give its security
        settings at all (`not_supported`). Any other failure raises: a guess would change every user's
        `mfa_required`."""
        if self.optional("security") is None:
            return None
        required: bool | None = self.security(settings.org_mfa_required)
        return required

    def users(self) -> list[dict[str, Any]]:
        model, org_mfa = self.model(), self._org_mfa()
        return [
            identity.normalize_user(row, model, mfa_registered=self.optional("mfa"), org_mfa_required=org_mfa)
            for row in self.need("users")
        ]

    def profiles(self) -> list[dict[str, Any]]:
        counts: Counter[str] = Counter(str(row[5]) for row in self.need("users") if row[3])
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
        """`auth.mfa`: org-wide enforcement, else whether every active admin's permissions force MFA.

        Unless the org enforces MFA for everyone, the answer needs the users and permission sets: when they
        failed, the key is an error, never `enforced_for_admins: null`, which reads as "cannot tell".
        """
        org = self.security(settings.org_mfa_required)
        if org:
            return {"enforced_for_all": True, "enforced_for_admins": True, "enforcement": "org"}
        users, model = self.need("users"), self.model()
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
        enforcement = "permission" if admins_forced else None
        return {"enforced_for_all": org, "enforced_for_admins": admins_forced, "enforcement": enforcement}

    def login_ip_ranges(self) -> dict[str, Any]:
        security = self.optional("security")
        metadata = self.optional("profile_metadata")
        if security is None and metadata is None:
            self.need("security")
        org = settings.trusted_ranges(security[0] if security else {}) if security is not None else None
        profiles = settings.profile_ranges(metadata[1], metadata[0]) if metadata else {}
        return {"org": org, "profiles": profiles}

    def connected_apps(self) -> list[dict[str, Any]]:
        """Connected apps, then external client apps (their listing failing for any reason but the org not
        having them makes the key an error: which apps exist would be unknown)."""
        connected = platform.connected_apps(self.need("apps"), self.optional("app_metadata"))
        return connected + external_apps.entries(self.need("external_apps"))

    def _describes(self) -> dict[str, dict[str, Any]]:
        """The describes of the objects the org has; a describe that failed for another reason raises."""
        return {name: body for name, body in self.parts("schema").items() if name != "counts"}

    def _encrypted_fields(self) -> list[str]:
        return [
            f"{describe['name']}.{field['name']}"
            for describe in self._describes().values()
            if "fields" in describe
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
        tracked = sum(1 for row in self.records("tooling", "fields") if row.get("IsFieldHistoryTracked") is True)
        return platform.audit_settings(
            trail=self.need("trail"),
            events=[] if isinstance(events, ConnectorError) else events,
            logins_30d=self.optional("logins_30d"),
            tracked_fields=tracked,
            now=self.now,
        )

    def backup(self) -> dict[str, Any]:
        value: dict[str, Any] = self.need("backup")
        return value

    def schema(self) -> list[dict[str, Any]]:
        """`schema.objects`: each describe with its record count and field definitions (classification,
        history tracking); a failed describe, record count or FieldDefinition query makes the key an error."""
        describes = self._describes()
        counts = self._record_counts()
        definitions = {
            f"{nested(row, 'EntityDefinition.QualifiedApiName')}.{row.get('QualifiedApiName')}": row
            for row in self.records("tooling", "fields")
        }
        objects = [
            data.schema_object(describe, record_count=counts.get(name), definitions=definitions)
            for name, describe in describes.items()
        ]
        if not objects:
            raise _Missing(next(value for value in self.need("schema").values() if isinstance(value, ConnectorError)))
        return sorted(objects, key=lambda entry: str(entry["name"]))

    def _record_counts(self) -> dict[str, int]:
        """Object name -> record count from `limits/recordCount` (`{"sObjects": [{"count", "name"}]}`); an
        object it leaves out has no count, a body of another shape is malformed."""
        body = self.parts("schema").get("counts", {"sObjects": []})
        rows = body.get("sObjects") if isinstance(body, dict) else None
        if not isinstance(rows, list) or not all(
            isinstance(row, dict) and isinstance(row.get("name"), str) and type(row.get("count")) is int for row in rows
        ):
            raise _Missing(
                ConnectorError(
                    "the record counts answered without a list of {name, count}",
                    endpoint="GET /services/data/limits/recordCount",
                    reason=Reason.MALFORMED_RESPONSE,
                )
            )
        return {row["name"]: row["count"] for row in rows}

    def _sampled(self) -> dict[str, data.Sampled]:
        """Each sampled object's reduction; one object whose sample failed (other than being absent) raises."""
        outcomes = self.need("samples")
        for outcome in outcomes.values():
            if isinstance(outcome, ConnectorError) and outcome.reason is not Reason.NOT_SUPPORTED:
                raise _Missing(outcome)
        good = {name: value for name, value in outcomes.items() if isinstance(value, data.Sampled)}
        if not good:
            raise _Missing(next(iter(outcomes.values())))
        return good

    def samples(self) -> list[dict[str, Any]]:
        return [entry for _name, sampled in sorted(self._sampled().items()) for entry in sampled.samples]

    def quality(self) -> list[dict[str, Any]]:
        return [sampled.quality for _name, sampled in sorted(self._sampled().items())]

    def health(self) -> dict[str, Any]:
        return settings.health_check(self.records("tooling", "check"), self.records("tooling", "risks"))

    def usage(self) -> dict[str, Any]:
        users = self.need("users")
        cutoff = self.now - timedelta(days=30)
        internal = [row for row in users if row[3] and row[4] == "Standard"]
        active = sum(1 for row in internal if (moment := parse_time(row[8])) and moment >= cutoff)
        adoption: dict[str, int | None] = {}
        if self.optional("adoption") is not None:
            for name, body in self.parts("adoption").items():
                total = body.get("totalSize")
                if not isinstance(total, int) or isinstance(total, bool):
                    raise _Missing(
                        ConnectorError(
                            f"the adoption count of {name} answered without a totalSize",
                            endpoint="POST /services/data/composite",
                            reason=Reason.MALFORMED_RESPONSE,
                        )
                    )
                adoption[name] = total
        return {
            "licensed_users": len(internal),
            "active_users_30d": active,
            "logins_last_30d": self.optional("logins_30d"),
            "object_adoption": adoption,
        }
