"""The BottleCRM connector (`--platform bottlecrm`): the open-source, self-hosted `django-crm`.

It collects, through the REST API and a handful of anonymous HTTP probes:

| key | from |
|---|---|
| `org.info` | `GET /api/org/settings/` (a 403 here means the credential was refused: TargetError) |
| `identity.users` | `GET /api/users/` (ADMIN) |
| `integrations.api_keys` | `GET /api/org/tokens/` (session JWT only) plus the org API key |
| `audit.settings` | `GET /api/org/audit-log/` (ADMIN, session JWT only) |
| `schema.objects`, `data.samples` | `GET /schema/` and one bounded page of contacts, leads, accounts, opportunities |
| `http.probe`, `platform.config` | anonymous probes, see `probes.py` |
| `tls.scan` | `crmsec.connectors.tls` when the URL is https |
| `backup.status`, `encryption.platform` | the deployment facts file (option `facts=PATH`), else nulls |
| `stability.api` | the request statistics of this collection |

Keys BottleCRM has no notion of are recorded as `not_supported`. Options: `auth=pat|api_key|jwt`,
`facts=PATH`, `sample_size=N` (records per object, default 50), `secret_key_probe=on|off`.

A key is recorded whole or not at all: a failed request, also one of several the key is built from (one
object's list, the org API key sign-in test, one probe), makes that key an evidence error with the request's
reason, never a `null` field or a missing entry (docs/reliability.md). `null` fields mean that BottleCRM does
not say (no facts file, no member to name in the forged token).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Coroutine
from typing import Any

import anyio
import httpx

from crmsec.connectors.base import Recorder
from crmsec.connectors.bottlecrm import directory, probes, records
from crmsec.connectors.bottlecrm.api import AUTH_MODES, BottleApi, auth_for, auth_mode
from crmsec.connectors.bottlecrm.facts import DeploymentFacts, backup_status, encryption_platform, load_facts
from crmsec.connectors.collect_tls import collect_tls
from crmsec.connectors.http import ApiStats
from crmsec.connectors.options import COMMON, ON_OFF, Option, OptionSpec
from crmsec.connectors.probes import record_http_probe
from crmsec.connectors.samples import SAMPLE_SIZE
from crmsec.errors import ConnectorError, Reason, TargetError
from crmsec.target import Target
from crmsec.version import __version__
from crmsec.vocabulary import JsonValue

NOT_SUPPORTED: dict[str, str] = {
    "identity.profiles": "BottleCRM has two fixed roles (ADMIN, USER) and no profiles",
    "identity.permission_sets": "BottleCRM has no permission sets",
    "auth.password_policy": "BottleCRM users sign in by magic link or Google; the API exposes no password policy",
    "auth.session_settings": "BottleCRM does not expose its session settings over the API",
    "auth.login_ip_ranges": "BottleCRM has no login IP ranges",
    "auth.mfa": "BottleCRM has no multi-factor authentication setting",
    "auth.sso": "BottleCRM does not expose its sign-in providers over the API",
    "access.object_permissions": "BottleCRM has no per-object permissions beyond its two roles",
    "access.org_defaults": "BottleCRM has no organisation-wide sharing defaults",
    "integrations.connected_apps": "BottleCRM has no connected apps",
    "integrations.oauth_tokens": "BottleCRM issues no OAuth tokens to third-party apps",
    "platform.health_check": "BottleCRM has no built-in security health check",
}
SESSION_ONLY = (
    "BottleCRM lets only a signed-in ADMIN session read credentials and the audit log; "
    "scan with a session JWT (auth=jwt) to collect it"
)
PROFILE = "/api/profile/"
OPTIONS = OptionSpec(
    "bottlecrm",
    (
        *COMMON,
        SAMPLE_SIZE,
        Option("auth", "enum", "pat", "the credential kind in CRMSEC_TOKEN", choices=AUTH_MODES),
        Option("secret_key_probe", "bool", True, "test the default SECRET_KEY with a short-lived token", words=ON_OFF),
    ),
)


class BottleCrmConnector:
    """Collects evidence from one BottleCRM organisation; records, never judges."""

    platform = "bottlecrm"
    version = __version__
    produces: tuple[str, ...] = (
        "org.info", "identity.users", "integrations.api_keys", "encryption.platform", "backup.status",
        "schema.objects", "data.samples", "audit.settings", "platform.config", "http.probe", "stability.api",
        "tls.scan",
    )  # fmt: skip
    """The evidence keys it records values for (`tls.scan` for https targets only)."""
    unsupported: tuple[str, ...] = tuple(NOT_SUPPORTED)
    options = OPTIONS
    """The keys it always records as `not_supported`."""

    async def collect(self, target: Target, client: httpx.AsyncClient, recorder: Recorder) -> None:
        """Collect every key BottleCRM can give; one failed request becomes that key's error."""
        options = OPTIONS.parse(target)
        facts = load_facts(options.path("facts"))
        probe_secret_key = options.flag("secret_key_probe")
        sample_size = options.number("sample_size")
        api = BottleApi(client, target.url, auth_for(target), ApiStats(recorder))
        org = await _org(api, recorder)
        async with anyio.create_task_group() as group:
            group.start_soon(collect_tls, target, recorder)
            users = await _collect_directory(api, recorder, target=target, facts=facts)
            await _collect_records(api, recorder, sample_size=sample_size)
            await _collect_probes(api, recorder, org=org, users=users, facts=facts, probe_secret_key=probe_secret_key)
        _record_facts(recorder, facts)
        for key, message in NOT_SUPPORTED.items():
            recorder.fail(key, Reason.NOT_SUPPORTED, message, source="bottlecrm connector")
        recorder.add("stability.api", api.stats.to_evidence(), source="bottlecrm connector")


async def _org(api: BottleApi, recorder: Recorder) -> dict[str, JsonValue]:
    """`org.info`; any member may read it, so a refusal means the credential itself was refused."""
    try:
        value = await directory.org_info(api)
    except TargetError:
        raise
    except ConnectorError as error:
        if error.reason is Reason.PERMISSION_DENIED:
            raise TargetError(
                f"{error.endpoint}: the credential was refused (BottleCRM answers 403 to unknown tokens)",
                endpoint=error.endpoint,
                reason=Reason.AUTHENTICATION_FAILED,
                hint="check the token in CRMSEC_TOKEN and option auth=pat|api_key|jwt",
            ) from error
        raise
    recorder.add("org.info", value, source=f"GET {directory.ORG_SETTINGS}")
    return value


async def _collect_directory(
    api: BottleApi, recorder: Recorder, *, target: Target, facts: DeploymentFacts
) -> JsonValue:
    """`identity.users`, `integrations.api_keys` and `audit.settings`; returns the users (or None)."""
    users = await _record(recorder, "identity.users", directory.USERS, directory.identity_users(api))
    in_use = auth_mode(target) == "api_key"
    keys = directory.api_keys(api, org_key_in_use=in_use)
    await _record(recorder, "integrations.api_keys", directory.ORG_TOKENS, keys, denied=SESSION_ONLY)
    retention = facts.get("audit_log", "retention_days")
    audit = directory.audit_settings(api, now=dt.datetime.now(dt.UTC), retention_days=retention)
    await _record(recorder, "audit.settings", directory.AUDIT_LOG, audit, denied=SESSION_ONLY)
    return users


async def _record(
    recorder: Recorder, key: str, path: str, pending: Coroutine[Any, Any, JsonValue], *, denied: str = ""
) -> JsonValue:
    """Await `pending` and record its value, or the connector error, under `key`."""
    if not recorder.wants(key):
        pending.close()
        return None
    try:
        value = await pending
    except TargetError:
        raise
    except ConnectorError as error:
        if denied and error.reason is Reason.PERMISSION_DENIED:
            recorder.fail(key, error.reason, f"{error} ({denied})", source=error.endpoint)
        else:
            recorder.fail_from(key, error)
        return None
    recorder.add(key, value, source=f"GET {path}")
    return value


async def _collect_records(api: BottleApi, recorder: Recorder, *, sample_size: int) -> None:
    """`schema.objects` and `data.samples`; any object that cannot be read fails both keys."""
    if not (recorder.wants("schema.objects") or recorder.wants("data.samples")):
        return
    try:
        samples = [await records.sample_object(api, spec, sample_size=sample_size) for spec in records.OBJECTS]
        components = await records.openapi_components(api)
    except TargetError:
        raise
    except ConnectorError as error:
        recorder.fail_from("schema.objects", error)
        recorder.fail_from("data.samples", error)
        return
    paths = ", ".join(f"GET {spec.path}" for spec in records.OBJECTS)
    schema_source = f"GET {records.OPENAPI}, {paths}" if components is not None else paths
    recorder.add("schema.objects", [records.schema_object(sample, components) for sample in samples],
                 source=schema_source)  # fmt: skip
    recorder.add("data.samples", [entry for sample in samples for entry in records.data_samples(sample)], source=paths)


async def _identity(api: BottleApi, org: dict[str, JsonValue], users: JsonValue) -> probes.Identity | None:
    """An active admin (else our own user) to name in the forged-token probe.

    None when the org or our own profile names nobody; a failed profile request raises `ConnectorError`.
    """
    org_id = org.get("id")
    if not isinstance(org_id, str):
        return None
    if isinstance(users, list):
        for user in users:
            if isinstance(user, dict) and user.get("is_admin") and user.get("active"):
                return probes.Identity(user_id=str(user["id"]), org_id=org_id)
    profile = await api.document(PROFILE)
    details = profile.get("user_obj", {}).get("user_details", {}) if isinstance(profile, dict) else {}
    user_id = details.get("id") if isinstance(details, dict) else None
    return probes.Identity(user_id=str(user_id), org_id=org_id) if user_id else None


async def _collect_probes(
    api: BottleApi, recorder: Recorder, *, org: dict[str, JsonValue], users: JsonValue, facts: DeploymentFacts,
    probe_secret_key: bool,
) -> None:  # fmt: skip
    """`http.probe` and `platform.config`; no answer at all fails both, one failed probe fails the config."""
    root = await record_http_probe(recorder, lambda: probes.http_probe(api), fails=("platform.config",))
    if root is None or not recorder.wants("platform.config"):
        return
    try:
        identity = await _identity(api, org, users) if probe_secret_key else None
        config = await probes.platform_config(
            api, root, identity=identity, facts=facts, probe_secret_key=probe_secret_key
        )
    except TargetError:
        raise
    except ConnectorError as error:  # a probe that saw nothing leaves the config unknown, not "no"
        recorder.fail_from("platform.config", error)
        return
    sources = [root.endpoint, f"GET {probes.MISSING_PATH}", f"OPTIONS {probes.PREFLIGHT_PATH}",
               f"GET {probes.HEALTH_PATH}", f"GET {probes.ADMIN_LOGIN_PATH}"]  # fmt: skip
    recorder.add("platform.config", config, source=", ".join(sources))


def _record_facts(recorder: Recorder, facts: DeploymentFacts) -> None:
    source = f"facts file {facts.source_name}" if facts.source_name else "no deployment facts file"
    recorder.add("backup.status", backup_status(facts), source=source)
    recorder.add("encryption.platform", encryption_platform(facts), source=source)


__all__ = ["BottleCrmConnector"]
