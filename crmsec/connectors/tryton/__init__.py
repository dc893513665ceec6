"""The Tryton connector (`--platform tryton`): trytond with the party, sale and sale_opportunity modules.

It signs in over JSON-RPC (`common.db.login`) and reads, never writes (docs/tryton.md has every field):

| key | from |
|---|---|
| `org.info` | the database name, `common.server.version` |
| `identity.users`, `identity.profiles` | `res.user` (inactive too), `res.group`, `ir.model.access`, `ir.rule.group` |
| `access.object_permissions`, `access.org_defaults` | `ir.model.access` and `ir.rule.group` for the CRM objects |
| `integrations.api_keys` | `res.user.application` (never the key itself) |
| `audit.settings` | `ir.model.log` (retention from the facts file) |
| `schema.objects`, `data.samples` | `ir.model.field` and a bounded, masked sample of parties and opportunities |
| `auth.password_policy`, `auth.session_settings`, `auth.mfa` | the server's config file (`config=PATH`), else null |
| `http.probe`, `platform.config` | anonymous probes, see `probes.py` |
| `tls.scan` | `crmsec.connectors.tls` when the URL is https |
| `backup.status`, `encryption.platform` | the deployment facts file (`--facts`), else nulls |
| `stability.api` | the request statistics of this collection |

Options: `database=NAME` (required), `user=LOGIN` (or `username` in the credentials file; the password comes
from CRMSEC_TOKEN or `password` in the credentials file), `config=PATH`, `facts=PATH`, `sample_size=N`.
Keys Tryton has no notion of are recorded as `not_supported`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable

import anyio
import httpx

from crmsec.connectors.base import Recorder
from crmsec.connectors.bottlecrm.facts import DeploymentFacts, backup_status, encryption_platform, load_facts
from crmsec.connectors.collect_tls import collect_tls
from crmsec.connectors.http import ApiStats
from crmsec.connectors.options import COMMON, Option, OptionSpec
from crmsec.connectors.probes import record_http_probe
from crmsec.connectors.samples import SAMPLE_SIZE
from crmsec.connectors.tryton import activity, directory, probes, records, server
from crmsec.connectors.tryton.rpc import TrytonRpc, credentials_of
from crmsec.errors import ConnectorError, Reason, TargetError
from crmsec.target import Target
from crmsec.version import __version__
from crmsec.vocabulary import JsonValue

NOT_SUPPORTED: dict[str, str] = {
    "identity.permission_sets": "Tryton has groups only; they are listed as profiles (identity.profiles)",
    "auth.login_ip_ranges": "Tryton cannot restrict sign-in to IP ranges",
    "auth.sso": "Tryton has no single sign-on of its own",
    "integrations.connected_apps": "Tryton has no connected (OAuth) apps",
    "integrations.oauth_tokens": "Tryton issues no OAuth tokens",
    "platform.health_check": "Tryton has no built-in security health check",
}
DIRECTORY_KEYS = ("identity.users", "identity.profiles", "access.object_permissions", "access.org_defaults",
                  "raw.tryton.access")  # fmt: skip
RECORD_KEYS = ("schema.objects", "data.samples")
OPTIONS = OptionSpec(
    "tryton",
    (
        *COMMON,
        SAMPLE_SIZE,
        Option("config", "path", None, "the server's trytond.conf, read where the scanner runs"),
        Option("database", "str", None, "the database the server serves (required)"),
        Option("user", "str", None, "the login (else `username` in --credentials-file)"),
    ),
)


class TrytonConnector:
    """Collects evidence from one Tryton database; records, never judges."""

    platform = "tryton"
    version = __version__
    produces: tuple[str, ...] = (
        *DIRECTORY_KEYS, *RECORD_KEYS, "org.info", "auth.password_policy", "auth.session_settings", "auth.mfa",
        "integrations.api_keys", "encryption.platform", "backup.status", "audit.settings", "platform.config",
        "http.probe", "stability.api", "tls.scan",
    )  # fmt: skip
    """The evidence keys it records values for (`tls.scan` for https targets only)."""
    unsupported: tuple[str, ...] = tuple(NOT_SUPPORTED)
    options = OPTIONS
    """The keys it always records as `not_supported`."""

    async def collect(self, target: Target, client: httpx.AsyncClient, recorder: Recorder) -> None:
        """Sign in, collect every key Tryton can give, sign out; one failed read becomes its keys' error."""
        options = OPTIONS.parse(target)
        credentials = credentials_of(target)
        config = server.load_config(options.path("config"))
        facts = load_facts(options.path("facts"))
        sample_size = options.number("sample_size")
        rpc = TrytonRpc(client, target.url, credentials.database, ApiStats(recorder))
        await rpc.login(credentials)
        try:
            async with anyio.create_task_group() as group:
                group.start_soon(collect_tls, target, recorder)
                await _collect(rpc, recorder, config=config, facts=facts, sample_size=sample_size)
        finally:
            await rpc.logout()
        _record_static(recorder, config, facts)
        recorder.add("stability.api", rpc.stats.to_evidence(), source="tryton connector")


async def _collect(
    rpc: TrytonRpc, recorder: Recorder, *, config: server.ServerConfig, facts: DeploymentFacts, sample_size: int
) -> None:
    """Every key read over the API, in dependency order."""
    series = await _org(rpc, recorder)
    found = await _directory(rpc, recorder)
    await _keys(rpc, recorder, found)
    retention = facts.get("audit_log", "retention_days")
    now = dt.datetime.now(dt.UTC)
    await _one(recorder, "audit.settings", "rpc model.ir.model.log.search_read",
               lambda: activity.audit_settings(rpc, now=now, retention_days=retention))  # fmt: skip
    await _records(rpc, recorder, sample_size=sample_size)
    await _probes(rpc, recorder, config=config, series=series)


async def _org(rpc: TrytonRpc, recorder: Recorder) -> str | None:
    """`org.info`: the database and the version series the server reports (anonymous)."""
    try:
        series = await rpc.call("common.server.version", [], database=False)
    except TargetError:
        raise
    except ConnectorError as error:
        recorder.fail_from("org.info", error)
        return None
    version = series if isinstance(series, str) else None
    recorder.add("org.info", {"id": rpc.database, "name": rpc.database, "edition": f"Tryton {version or ''}".strip(),
                              "instance": rpc.base_url, "is_sandbox": None, "api_version": version},
                 source="rpc common.server.version")  # fmt: skip
    return version


async def _directory(rpc: TrytonRpc, recorder: Recorder) -> directory.Directory | None:
    """Users, profiles, object access and org-wide defaults; any failed read fails all of them."""
    try:
        found = await directory.read_directory(rpc)
    except TargetError:
        raise
    except ConnectorError as error:
        for key in DIRECTORY_KEYS:
            recorder.fail_from(key, error)
        return None
    source = "rpc model.res.user/res.group/ir.model.access/ir.rule.group.search_read"
    recorder.add("identity.users", directory.identity_users(found), source=source)
    recorder.add("identity.profiles", directory.identity_profiles(found), source=source)
    recorder.add("access.object_permissions", directory.object_permissions(found), source=source)
    recorder.add("access.org_defaults", directory.org_defaults(found), source=source)
    recorder.add("raw.tryton.access", directory.access_summary(found), source=source)
    return found


async def _keys(rpc: TrytonRpc, recorder: Recorder, found: directory.Directory | None) -> None:
    """`integrations.api_keys`; without the directory the owners are unknown, so the key fails too."""
    source = "rpc model.res.user.application.search_read"
    if found is None:
        recorder.fail("integrations.api_keys", Reason.EVIDENCE_MISSING, "the user directory could not be read",
                      source=source)  # fmt: skip
        return
    admins = {int(user["id"]) for user in found.users if directory.is_admin(found, user)}
    owners = activity.owners(found.users, admins)
    await _one(recorder, "integrations.api_keys", source, lambda: activity.api_keys(rpc, owners))


async def _one(
    recorder: Recorder, key: str, source: str, read: Callable[[], Awaitable[JsonValue]]
) -> None:  # fmt: skip
    """Record what `read` returns under `key`, or its connector error."""
    if not recorder.wants(key):
        return
    try:
        value = await read()
    except TargetError:
        raise
    except ConnectorError as error:
        recorder.fail_from(key, error)
        return
    recorder.add(key, value, source=source)


async def _records(rpc: TrytonRpc, recorder: Recorder, *, sample_size: int) -> None:
    """`schema.objects` and `data.samples`; any object that cannot be read fails both keys."""
    if not any(recorder.wants(key) for key in RECORD_KEYS):
        return
    try:
        samples = [await records.sample_object(rpc, spec, sample_size=sample_size) for spec in records.OBJECTS]
    except TargetError:
        raise
    except ConnectorError as error:
        for key in RECORD_KEYS:
            recorder.fail_from(key, error)
        return
    models = ", ".join(spec.model for spec in records.OBJECTS)
    recorder.add("schema.objects", [records.schema_object(sample) for sample in samples],
                 source=f"rpc model.ir.model.field.search_read ({models})")  # fmt: skip
    recorder.add("data.samples", [entry for sample in samples for entry in records.data_samples(sample)],
                 source=f"rpc search_read ({models})")  # fmt: skip


async def _probes(rpc: TrytonRpc, recorder: Recorder, *, config: server.ServerConfig, series: str | None) -> None:
    """`http.probe`, `platform.config` and `auth.session_settings` (which needs the probes' answers).

    No answer to the root GET fails all three; a failed database-list, CORS or development-mode probe fails
    `platform.config`, and the CORS probe also `auth.session_settings` (its `csrf_protection`).
    """
    answer = await record_http_probe(
        recorder, lambda: probes.root_probe(rpc), fails=("platform.config", "auth.session_settings")
    )
    if answer is None:
        return
    try:
        observed = await probes.observe(rpc, answer, series=series)
    except TargetError:
        raise
    except ConnectorError as error:
        recorder.fail_from("platform.config", error)
        recorder.fail_from("auth.session_settings", error)
        return
    settings = server.session_settings(config, root=answer, foreign_origin_refused=observed.foreign_origin_refused)
    recorder.add("auth.session_settings", settings, source=_config_source(config, also=f"{answer.endpoint}, "
                 f"OPTIONS {rpc.rpc_path}"))  # fmt: skip
    try:
        debug = await probes.debug_mode(rpc)
    except TargetError:
        raise
    except ConnectorError as error:
        recorder.fail_from("platform.config", error)
        return
    recorder.add("platform.config", probes.platform_config(observed, debug=debug),
                 source=f"{answer.endpoint}, rpc common.db.list, OPTIONS {rpc.rpc_path}, "
                 f"rpc model.{probes.PROBE_MODEL}.search_count")  # fmt: skip


def _config_source(config: server.ServerConfig, *, also: str = "") -> str:
    where = f"config file {config.source_name}" if config.source_name else "no server config file"
    return f"{where}, {also}" if also else where


def _record_static(recorder: Recorder, config: server.ServerConfig, facts: DeploymentFacts) -> None:
    """Keys from the configuration file, the facts file and what Tryton does not have."""
    recorder.add("auth.password_policy", server.password_policy(config), source=_config_source(config))
    recorder.add("auth.mfa", server.mfa(config), source=_config_source(config))
    facts_source = f"facts file {facts.source_name}" if facts.source_name else "no deployment facts file"
    recorder.add("backup.status", backup_status(facts), source=facts_source)
    recorder.add("encryption.platform", encryption_platform(facts), source=facts_source)
    for key, message in NOT_SUPPORTED.items():
        recorder.fail(key, Reason.NOT_SUPPORTED, message, source="tryton connector")


__all__ = ["TrytonConnector"]
