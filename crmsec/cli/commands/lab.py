"""`crmsec lab serve`: run the Salesforce-compatible lab over HTTPS on loopback until interrupted."""

from __future__ import annotations

import json
import signal
import threading
from types import FrameType

import click

from crmsec.cli import console
from crmsec.cli.options import ExitCode
from crmsec.lab import SCENARIOS, Lab, LabConfig
from crmsec.lab.health_check import LOCALES
from crmsec.lab.org import VARIANTS
from crmsec.lab.server import FAULT_KINDS, FAULT_SCOPES


@click.group(name="lab", help="A local Salesforce-compatible lab (synthetic data, throwaway CA, real TLS).")
def command() -> None:
    """The lab command group."""


@command.command(name="serve", help="Serve the lab; prints one JSON line {url, ca_bundle, token}, then serves.")
@click.option("--scenario", type=click.Choice(sorted(SCENARIOS)), default="misconfigured", show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=click.IntRange(0, 65535), default=0, show_default=True, help="0 picks a free port.")
@click.option("--users", type=click.IntRange(3, 1_000_000), default=200, show_default=True)
@click.option("--contacts", type=click.IntRange(1, 1_000_000), default=1000, show_default=True)
@click.option("--latency-ms", type=click.FloatRange(0, 60_000), default=0.0, show_default=True)
@click.option(
    "--fault-rate",
    type=click.FloatRange(0, 1),
    default=0.0,
    show_default=True,
    help="Share of API responses that fail (5xx, 429 with Retry-After, truncated or slow bodies).",
)
@click.option(
    "--fault-kinds",
    default=",".join(FAULT_KINDS),
    show_default=True,
    help="Comma-separated faults --fault-rate draws from (e.g. rate_limited for only 429s); --seed repeats them.",
)
@click.option(
    "--fault-scope",
    type=click.Choice(FAULT_SCOPES),
    default="api",
    show_default=True,
    help="api: the REST, Tooling and Metadata APIs; all: every path (for --platform web scans of the lab).",
)
@click.option(
    "--expire-after",
    type=click.IntRange(1),
    default=None,
    help="Stop accepting the token after this many authenticated requests.",
)
@click.option("--tls", type=click.Choice(["modern", "legacy"]), default="modern", show_default=True)
@click.option("--seed", type=int, default=7, show_default=True)
@click.option(
    "--locale",
    type=click.Choice(sorted(LOCALES)),
    default="en",
    show_default=True,
    help="Language of the org's Health Check labels and values (the connector must not depend on them).",
)
@click.option(
    "--variant",
    "variants",
    type=click.Choice(sorted(VARIANTS)),
    multiple=True,
    help="Serve an org variant that lacks some fields (no-encryption-keys-permission: PermissionSet has no "
    "PermissionsManageEncryptionKeys, so SOQL naming it fails with INVALID_FIELD). Repeatable.",
)
@click.option(
    "--query-batch-size",
    type=click.IntRange(1, 2000),
    default=2000,
    show_default=True,
    help="Records per query page (Salesforce's default); smaller sizes make results span pages (nextRecordsUrl).",
)
@click.option(
    "--sandbox",
    is_flag=True,
    default=False,
    help="Serve a sandbox org: IsSandbox is true and JWT assertions need the audience https://test.salesforce.com.",
)
def serve(
    scenario: str,
    host: str,
    port: int,
    users: int,
    contacts: int,
    latency_ms: float,
    fault_rate: float,
    fault_kinds: str,
    fault_scope: str,
    expire_after: int | None,
    tls: str,
    seed: int,
    locale: str,
    query_batch_size: int,
    variants: tuple[str, ...],
    sandbox: bool,
) -> int:
    """Start the lab, announce it on stdout, and serve until SIGINT/SIGTERM."""
    config = LabConfig(
        scenario=scenario,
        host=host,
        port=port,
        users=users,
        contacts=contacts,
        seed=seed,
        latency_ms=latency_ms,
        fault_rate=fault_rate,
        fault_kinds=tuple(kind.strip() for kind in fault_kinds.split(",") if kind.strip()),
        fault_scope=fault_scope,
        expire_after=expire_after,
        tls=tls,
        locale=locale,
        sandbox=sandbox,
        query_batch_size=query_batch_size,
        missing_fields=tuple(dict.fromkeys(field for variant in variants for field in VARIANTS[variant])),
    )
    lab = Lab(config).start()
    stop = threading.Event()

    def _handle(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, _handle) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        console.out(json.dumps(lab.announcement(), sort_keys=True))
        while not stop.wait(0.5):
            pass
    finally:
        lab.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return ExitCode.OK
