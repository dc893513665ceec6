"""SalesforceConnector: read an org's security posture through the REST, Tooling and Metadata APIs.

One collection: a first authenticated call (`/limits`; a 401 there means the credentials are rejected,
`TargetError`), then every fetch runs concurrently (bounded by option `concurrency`, default 16), fetches
that need an earlier answer await it, and evidence is built from what came back. A failed fetch becomes an
evidence error on every key that needed it; nothing is dropped silently.

Target options: `concurrency`, `api_version` (default 62.0), `budget_share` (share of the remaining daily
API calls this collection may use, default 0.5), `max_calls`, `sample_seed`, `facts` (a deployment-facts file
for what the API cannot show: backups), plus the auth options of `connectors.auth`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, unquote, urlencode, urlsplit

import httpx

from crmsec.connectors.auth import AUTH_OPTIONS, auth_for
from crmsec.connectors.base import Recorder
from crmsec.connectors.bottlecrm.facts import load_facts
from crmsec.connectors.collect_tls import collect_tls
from crmsec.connectors.http import ApiStats, Sleeper
from crmsec.connectors.options import COMMON, Option, Options, OptionSpec
from crmsec.connectors.probes import record_http_probe
from crmsec.connectors.salesforce import data, external_apps, identity, metadata, platform
from crmsec.connectors.salesforce.api import DEFAULT_API_VERSION, Budget, SalesforceApi, subrequest_error
from crmsec.connectors.salesforce.evidence import PRODUCES, UNSUPPORTED, EvidenceBuilder
from crmsec.connectors.web import probe_http
from crmsec.errors import ConnectorError, Reason, TargetError
from crmsec.target import Target

QUERIES = {
    "organization": "SELECT Id, Name, OrganizationType, InstanceName, IsSandbox, DefaultAccountAccess, "
    "DefaultContactAccess, DefaultLeadAccess, DefaultOpportunityAccess, DefaultCaseAccess FROM Organization",
    "profiles": "SELECT Id, Name, UserType FROM Profile",
    "permission_sets": identity.permission_set_query(),
    "assignments": "SELECT AssigneeId, PermissionSetId FROM PermissionSetAssignment "
    "WHERE PermissionSet.IsOwnedByProfile = false",
    "object_permissions": "SELECT ParentId, SobjectType, PermissionsRead, PermissionsCreate, PermissionsEdit, "
    "PermissionsDelete, PermissionsViewAllRecords, PermissionsModifyAllRecords FROM ObjectPermissions",
    "apps": "SELECT Id, Name, OptionsAllowAdminApprovedUsersOnly, CreatedDate FROM ConnectedApplication",
    "tokens": "SELECT AppName, UserId, CreatedDate, LastUsedDate, UseCount FROM OauthToken",
    "saml": "SELECT DeveloperName, Issuer FROM SamlSsoConfig",
    "providers": "SELECT DeveloperName, ProviderType FROM AuthProvider",
    "secrets": "SELECT Id, Type, Status, Source, CreatedDate FROM TenantSecret",
    "trail": "SELECT Action, CreatedDate FROM SetupAuditTrail WHERE CreatedDate = LAST_N_DAYS:180 "
    "ORDER BY CreatedDate DESC LIMIT 2000",
    "events": "SELECT EventType, LogDate FROM EventLogFile WHERE LogDate = LAST_N_DAYS:365 ORDER BY LogDate LIMIT 5000",
}
DEFAULT_CONCURRENCY = 16
"""Calls in flight at once: Salesforce does not limit short concurrent requests, and 16 stays well under
the 25 concurrent long-running (over 20 s) requests a production org allows, leaving room for others."""
EARLY_KEYS = {
    "identity.users": ("users", "mfa", "permission_sets", "assignments", "security"),
    "data.samples": ("samples",),
    "data.quality": ("samples",),
}
"""Keys recorded as soon as the fetches they read settle (evidence.EvidenceBuilder names what each reads)."""
MFA_QUERY = (
    "SELECT UserId, HasSalesforceAuthenticator, HasTotp, HasU2F, HasSecurityKey, HasBuiltInAuthenticator "
    "FROM TwoFactorMethodsInfo"
)
TOOLING = {
    "check": "SELECT Id, DurableId, Score, CustomBaselineId FROM SecurityHealthCheck",
    "risks": "SELECT DurableId, SecurityHealthCheckId, Setting, SettingGroup, SettingRiskCategory, RiskType, "
    "OrgValue, StandardValue FROM SecurityHealthCheckRisks",
    "fields": "SELECT QualifiedApiName, EntityDefinition.QualifiedApiName, IsFieldHistoryTracked, "
    "SecurityClassification, ComplianceGroup FROM FieldDefinition WHERE EntityDefinition.QualifiedApiName IN "
    "('Account','Contact','Lead','Opportunity','Case')",
}


OPTIONS = OptionSpec(
    "salesforce",
    (
        *COMMON,
        *AUTH_OPTIONS,
        Option("budget_share", "float", 0.5, "share of the org's remaining daily API calls to use", low=0.01, high=1),
        Option("max_calls", "int", None, "a hard cap on the API calls of one collection", low=0, high=10**9),
        Option("api_version", "str", DEFAULT_API_VERSION, "the REST API version"),
        Option("tls_scan", "bool", True, "run tls.scan and http.probe of the instance URL"),
        Option("sample_seed", "int", 0, "the seed of the record sample", low=0, high=2**31),
    ),
)


class SalesforceConnector:
    """Collects crmsec's evidence keys from a Salesforce org (read-only)."""

    platform = "salesforce"
    version = "1.0.0"
    produces: tuple[str, ...] = PRODUCES  # values, or the error of the request that failed
    unsupported: tuple[str, ...] = UNSUPPORTED  # always `not_supported`
    options = OPTIONS

    def __init__(self, *, sleeper: Sleeper = asyncio.sleep, clock: Callable[[], datetime] | None = None) -> None:
        self._sleeper = sleeper
        self._clock = clock or (lambda: datetime.now(UTC))

    async def collect(self, target: Target, client: httpx.AsyncClient, recorder: Recorder) -> None:
        """Collect every key into `recorder`; raises TargetError when the org cannot be used at all."""
        options = OPTIONS.parse(target)
        stats = ApiStats(recorder)
        budget = Budget(
            options.real("budget_share"),
            hard_limit=options.maybe_number("max_calls"),
        )
        api = SalesforceApi(
            client,
            target,
            auth=auth_for(target),
            stats=stats,
            budget=budget,
            concurrency=options.number("concurrency"),
            api_version=options.text("api_version") or DEFAULT_API_VERSION,
            sleeper=self._sleeper,
        )
        run = _Collection(api, options, now=self._clock())
        builder = EvidenceBuilder(run.results, api_version=api.version, now=run.now)
        try:
            await api.get_json(f"{api.data_path}/limits")
            endpoint = self._probe_endpoint(target, client, recorder, scan=options.flag("tls_scan"))
            run.start()
            await asyncio.gather(run.finish(), run.record_early(builder, recorder), endpoint)
        finally:
            recorder.add("stability.api", stats.to_evidence(), source="crmsec http layer")
        builder.record(recorder, done=EARLY_KEYS)
        if budget.exhausted:
            recorder.note(
                f"stopped at the API-call budget: {budget.used} calls allowed for this collection "
                f"({budget.share:.0%} of the daily calls remaining at start)"
            )

    async def _probe_endpoint(
        self, target: Target, client: httpx.AsyncClient, recorder: Recorder, *, scan: bool
    ) -> None:
        """tls.scan and http.probe of the instance URL (option tls_scan=false skips both)."""
        if not scan:
            return
        url = target.url if urlsplit(target.url).path else target.url + "/"
        probe = record_http_probe(recorder, lambda: probe_http(client, url, sleeper=self._sleeper))
        await asyncio.gather(collect_tls(target, recorder), probe)


class _Collection:
    """The concurrent fetches of one collection and their outcomes (value or ConnectorError)."""

    def __init__(self, api: SalesforceApi, options: Options, *, now: datetime) -> None:
        self.api = api
        self.now = now
        self.facts = load_facts(options.path("facts"))
        self.seed = options.number("sample_seed")
        self.results: dict[str, Any] = {}
        self._tasks: dict[str, asyncio.Task[Any]] = {}

    def start(self) -> None:
        """Start every fetch; each outcome lands in `results` as soon as it settles."""
        # Fetches that others wait for go first (they queue for the same `concurrency` slots in order),
        # so their dependents overlap with the rest instead of trailing after it.
        plan: dict[str, Callable[[], Awaitable[Any]]] = {
            "schema": self._schema,
            "permission_columns": self._permission_columns,
            **{name: self._query_fetch(QUERIES[name]) for name in ("apps", "profiles")},
            "permission_sets": self._permission_sets,
            "users": self._users,
        }
        plan.update({name: self._query_fetch(soql) for name, soql in QUERIES.items() if name not in plan})
        plan.update(
            {
                "versions": lambda: self.api.get_json("/services/data/", count=False),
                "mfa": self._mfa,
                "tooling": self._tooling,
                "adoption": self._adoption,
                "security": self._security,
                "app_metadata": self._app_metadata,
                "external_apps": lambda: external_apps.fetch(self.api),
                "profile_metadata": self._profile_metadata,
                "samples": self._samples,
                "backup": self._backup,
                "logins_30d": lambda: self.api.count(
                    "SELECT COUNT() FROM LoginHistory WHERE LoginTime = LAST_N_DAYS:30"
                ),
            }
        )
        self._tasks = {name: asyncio.create_task(self._guard(name, make())) for name, make in plan.items()}

    async def finish(self) -> None:
        """Wait for every fetch; a TargetError in any of them stops the collection."""
        outcomes = await asyncio.gather(*self._tasks.values())
        for outcome in outcomes:
            if isinstance(outcome, TargetError):
                raise outcome

    async def record_early(self, builder: EvidenceBuilder, recorder: Recorder) -> None:
        """Record the costliest keys as soon as their fetches settle, while later calls are in flight."""
        for key, needs in EARLY_KEYS.items():
            await asyncio.gather(*(self._tasks[name] for name in needs))
            builder.record_key(recorder, key)

    def _query_fetch(self, soql: str) -> Callable[[], Awaitable[Any]]:
        return lambda: self.api.query(soql)

    async def _guard(self, name: str, pending: Awaitable[Any]) -> Any:
        try:
            outcome = await pending
        except ConnectorError as error:  # TargetError included: `finish` raises it again
            outcome = error
        self.results[name] = outcome
        return outcome

    async def need(self, name: str) -> Any:
        """The outcome of fetch `name`; its error is raised again for the fetch that depends on it."""
        outcome = await self._tasks[name]
        if isinstance(outcome, ConnectorError):
            raise outcome
        return outcome

    async def _permission_columns(self) -> identity.PermissionColumns:
        """Which permission columns this org's PermissionSet has (permission fields vary per org)."""
        try:
            describe = await self.api.get_json(f"{self.api.data_path}/sobjects/PermissionSet/describe")
        except ConnectorError as error:
            if error.reason is not Reason.NOT_SUPPORTED:
                raise
            # Every org has PermissionSet: "not supported" here must not read as "nothing to judge".
            raise ConnectorError(str(error), endpoint=error.endpoint, reason=Reason.HTTP_ERROR) from error
        return identity.permission_columns(describe)

    async def _permission_sets(self) -> list[dict[str, Any]]:
        """Every permission set, selecting only the permission columns the describe listed: a query naming a
        column the org lacks fails as a whole (INVALID_FIELD) and would take every identity key with it."""
        columns: identity.PermissionColumns = await self.need("permission_columns")
        return await self.api.query(identity.permission_set_query(columns))

    async def _users(self) -> list[tuple[Any, ...]]:
        users: list[tuple[Any, ...]] = []
        await self.api.query(
            identity.user_query(), on_page=lambda page: users.extend(identity.compact_user(row) for row in page)
        )
        return users

    async def _mfa(self) -> set[str]:
        registered: set[str] = set()
        await self.api.query(
            MFA_QUERY,
            on_page=lambda page: registered.update(
                str(row.get("UserId")) for row in page if identity.registered_mfa(row)
            ),
        )
        return registered

    async def _composite(self, queries: dict[str, str], *, tooling: bool) -> dict[str, Any]:
        prefix = f"{self.api.data_path}/tooling" if tooling else self.api.data_path
        paths = {
            reference: f"{prefix}/query?{urlencode({'q': soql}, quote_via=quote)}"
            for reference, soql in queries.items()
        }
        answers = await self.api.composite(paths, tooling=tooling)
        endpoint = f"GET {prefix}/query"
        results = {name: self._answer(name, answers.get(name), endpoint=endpoint) for name in queries}
        pending = [name for name, body in results.items() if isinstance(body, dict) and body.get("done") is not True]
        completed = await asyncio.gather(*(self._rest_of(results[name], endpoint=endpoint) for name in pending))
        results.update(zip(pending, completed, strict=True))
        return results

    async def _rest_of(self, first: dict[str, Any], *, endpoint: str) -> Any:
        """A composite subquery's answer with the records of its later pages (nextRecordsUrl), or the error
        of the page that failed: a subquery answer is never cut at its first page."""
        try:
            records = await self.api.follow(first, endpoint=endpoint)
        except TargetError:
            raise
        except ConnectorError as error:
            return error
        rest = {key: value for key, value in first.items() if key != "nextRecordsUrl"}
        return rest | {"done": True, "records": records}

    def _answer(self, reference: str, answer: tuple[int, Any] | None, *, endpoint: str) -> Any:
        if answer is None:
            return ConnectorError(
                f"{endpoint} ({reference}): no answer in the composite response",
                endpoint=endpoint,
                reason=Reason.MALFORMED_RESPONSE,
            )
        status, body = answer
        if status >= 400 or not isinstance(body, dict):
            return subrequest_error(reference, status, body, endpoint=endpoint)
        return body

    async def _tooling(self) -> dict[str, Any]:
        return await self._composite(TOOLING, tooling=True)

    async def _adoption(self) -> dict[str, Any]:
        queries = {
            name: f"SELECT COUNT() FROM {name} WHERE LastModifiedDate = LAST_N_DAYS:90"  # noqa: S608 -- constants
            for name in data.ADOPTION_OBJECTS
        }
        return await self._composite(queries, tooling=False)

    async def _schema(self) -> dict[str, Any]:
        """The describes (one composite call) and the record counts (a GET of their own: `/composite` serves
        sObject and query resources only, and `/composite/batch` would count each subrequest as an API call)."""
        paths = {name: f"{self.api.data_path}/sobjects/{name}/describe" for name in data.ADOPTION_OBJECTS}
        answers, counts = await asyncio.gather(self.api.composite(paths), self._record_counts())
        results = {
            reference: self._answer(reference, answers.get(reference), endpoint=f"GET {path}")
            for reference, path in paths.items()
        }
        return results | {"counts": counts}

    async def _record_counts(self) -> Any:
        """The `limits/recordCount` answer for the adoption objects, or its error (kept apart from the describes)."""
        path = f"{self.api.data_path}/limits/recordCount"
        try:
            return await self.api.get_json(f"{path}?sObjects={','.join(data.ADOPTION_OBJECTS)}")
        except TargetError:
            raise
        except ConnectorError as error:
            return error

    async def _samples(self) -> dict[str, Any]:
        schema = await self.need("schema")
        results: dict[str, Any] = {}

        async def one(name: str) -> None:
            describe = schema.get(name)
            if isinstance(describe, ConnectorError):
                results[name] = describe
                return
            fields = data.text_fields(describe)
            try:
                soql = data.sample_query(name, [*fields, *data.quality_fields(name, describe)])
                records = await self.api.query(soql, limit_rows=data.SAMPLE_ROWS)
            except TargetError:
                raise
            except ConnectorError as error:
                results[name] = error
                return
            # Reduced to counts on arrival (while other calls are in flight); the records are dropped here.
            results[name] = data.Sampled(
                samples=data.samples(name, fields, records, seed=self.seed),
                quality=data.quality(name, records, now=self.now),
            )

        await asyncio.gather(*(one(name) for name in data.SAMPLED_OBJECTS))
        return results

    async def _backup(self) -> dict[str, Any]:
        """`backup.status` from the facts file: no Salesforce API shows backups (see platform.backup_status)."""
        return platform.backup_status(self.facts)

    async def _security(self) -> list[dict[str, Any]]:
        return await metadata.read_metadata(self.api, "SecuritySettings", ["Security"])

    async def _app_metadata(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """ConnectedApp metadata under the full names listMetadata returns (never derived from an app's label)."""
        listed = await metadata.list_metadata(self.api, ["ConnectedApp"])
        names = sorted({str(entry["fullName"]) for entry in listed if entry.get("fullName")})
        return listed, (await metadata.read_metadata(self.api, "ConnectedApp", names) if names else [])

    async def _profile_metadata(self) -> tuple[dict[str, str], list[dict[str, Any]]]:
        """Profile metadata for the admin profiles (login IP ranges matter most there)."""
        profiles, permission_sets = await self.need("profiles"), await self.need("permission_sets")
        model = identity.PermissionModel.build(permission_sets, [])
        admin_ids = [
            profile_id
            for profile_id, set_id in model.profile_set.items()
            if identity.ADMIN_PERMISSIONS.intersection(model.sets[set_id]["permissions"])
        ]
        labels = {str(profile.get("Id")): str(profile.get("Name")) for profile in profiles}
        if not admin_ids:
            return {}, []
        # Full names come from listMetadata (matched on the profile's Id): standard profiles have fixed API
        # names (`Admin`), custom ones are URL-encoded, and Profile.Name is translated in other languages.
        names: dict[str, str] = {}
        for entry in await metadata.list_metadata(self.api, ["Profile"]):
            match = next((pid for pid in admin_ids if metadata.same_id(entry.get("id"), pid)), None)
            if match is not None and entry.get("fullName"):
                names[str(entry["fullName"])] = labels.get(match, str(entry["fullName"]))
        records = await metadata.read_metadata(self.api, "Profile", sorted(names)) if names else []
        return names | {unquote(full_name): label for full_name, label in names.items()}, records
