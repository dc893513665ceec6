"""`crmsec scan --targets FILE --shard I/N`: the fleet side of `scan` (docs/fleet.md).

`scan.py` adds `fleet_options` and hands over to `run_fleet_scan` when `--targets` is given. The runner
(`crmsec.fleet.runner`) collects with bounded parallelism; each org's evaluation goes through the same
`engine.assess` and `pipeline.write_bundle` as a single scan, into `--out DIR/<org>/`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

import anyio
import click

from crmsec import engine
from crmsec.cli import console
from crmsec.cli.pipeline import RunSettings, write_bundle
from crmsec.evidence import EvidenceSnapshot
from crmsec.fleet import runner
from crmsec.fleet.plan import PlannedTarget, load_plan
from crmsec.fleet.shard import ALL, parse_shard, select
from crmsec.plugin import Severity
from crmsec.profiles import Profile, load_profile
from crmsec.redaction import Identities
from crmsec.registry import Catalogue, load_catalogue
from crmsec.report.build import GateOptions

F = TypeVar("F", bound=Callable[..., Any])

SINGLE_TARGET_FLAGS = ("platform", "url", "credentials_file", "ca_bundle", "facts")
NOT_PER_TARGET = ("baseline", "previous", "history", "sarif_anchor")


def fleet_options(function: F) -> F:
    """--targets, --shard, --parallel: scan a slice of a fleet instead of one target."""
    for decorator in reversed(
        (
            click.option(
                "--targets",
                "targets_file",
                type=click.Path(dir_okay=False, path_type=Path),
                help="Fleet mode: scan the orgs of this targets file (see `crmsec fleet plan`), one bundle per "
                "org in --out DIR/<org>/.",
            ),
            click.option(
                "--shard",
                default=None,
                metavar="I/N",
                help="With --targets: scan only slice I of N (0 <= I < N; stable by org name, e.g. "
                '"$JOB_COMPLETION_INDEX/4").',
            ),
            click.option(
                "--org-timeout",
                type=click.FloatRange(1, 86_400),
                default=runner.DEFAULT_ORG_TIMEOUT,
                show_default=True,
                help="With --targets: seconds one org's collection may take before it is recorded as failed.",
            ),
            click.option(
                "--parallel",
                type=click.IntRange(1, 64),
                default=runner.DEFAULT_PARALLEL,
                show_default=True,
                help="With --targets: orgs scanned at once on this machine.",
            ),
        )
    ):
        function = decorator(function)
    return function


def relax_single_target(command: click.Command) -> click.Command:
    """--platform and --url are required for one target only; `require_single_target` checks them then."""
    for parameter in command.params:
        if parameter.name in ("platform", "url"):
            parameter.required = False
    return command


def require_single_target(arguments: dict[str, Any]) -> None:
    """Without --targets, --platform and --url are needed and the fleet flags make no sense."""
    for name in ("platform", "url"):
        if not arguments.get(name):
            raise click.UsageError(f"Missing option '--{name}' (or scan a fleet with --targets FILE).")
    if arguments.get("shard"):
        raise click.UsageError("--shard needs --targets")


def _refuse_single_target_flags(arguments: dict[str, Any]) -> None:
    context = click.get_current_context()
    for name in (*SINGLE_TARGET_FLAGS, *NOT_PER_TARGET, "target_options"):
        value = arguments.get(name)
        if value:
            flag = "--option" if name == "target_options" else "--" + name.replace("_", "-")
            raise click.UsageError(f"{flag} cannot be combined with --targets (set it per org in the targets file)")
    if context.get_parameter_source("token_env") is click.core.ParameterSource.COMMANDLINE:
        raise click.UsageError("--token-env cannot be combined with --targets (use credentials.env per org)")


class _Evaluator:
    """Evaluates one org's snapshot like `crmsec scan` does, with the profile and catalogue loaded once."""

    def __init__(self, settings: RunSettings) -> None:
        self.settings = settings
        self._catalogue: Catalogue | None = None
        self._profiles: dict[str, Profile] = {}

    def __call__(self, snapshot: EvidenceSnapshot, planned: PlannedTarget, folder: Path) -> int:
        settings = replace(self.settings, profile=planned.profile or self.settings.profile, out_dir=folder)
        if self._catalogue is None:
            self._catalogue = load_catalogue(plugins=not settings.no_plugins, directories=settings.checks_dirs)
        profile = self._profiles.get(settings.profile)
        if profile is None:
            profile = self._profiles[settings.profile] = load_profile(settings.profile)
        gate = GateOptions(
            fail_under=settings.fail_under, fail_on=Severity(settings.fail_on.lower()) if settings.fail_on else None
        )
        options = engine.EvaluationOptions(gate=gate, check_timeout=settings.check_timeout)
        snapshot, report = engine.assess(snapshot, profile, self._catalogue, options, inputs=settings.inputs)
        write_bundle(report, snapshot, settings)
        return 0 if report.gate["passed"] else 1


def run_fleet_scan(arguments: dict[str, Any], settings: RunSettings) -> int:
    """Scan the shard's orgs into --out DIR/<org>/ and print one line per org; returns the exit code."""
    _refuse_single_target_flags(arguments)
    plan = load_plan(arguments["targets_file"])
    shard = parse_shard(arguments["shard"]) if arguments["shard"] else ALL
    chosen = [replace(planned, profile=planned.profile or settings.profile) for planned in select(plan.targets, shard)]
    quiet = settings.quiet
    if not quiet:
        console.err(
            f"crmsec scan: shard {shard}: {len(chosen)} of {len(plan.targets)} orgs, {arguments['parallel']} at once"
        )

    def observe(outcome: runner.TargetOutcome, done: int, total: int) -> None:
        if quiet:
            return
        state = {0: "scanned", 1: "scanned, gate failed"}.get(outcome.exit_code, "not scanned")
        detail = f": {console.field(outcome.error)}" if outcome.error else ""
        console.err(
            f"  [{done}/{total}] {console.field(outcome.name)}: {state} ({outcome.requests_sent} requests){detail}"
        )

    identities = Identities.SHOWN if arguments.get("show_identities") else Identities.MASKED
    evaluator = _Evaluator(settings)
    out_dir: Path = settings.out_dir

    async def scan() -> list[runner.TargetOutcome]:
        return await runner.run_fleet(
            chosen,
            out_dir,
            evaluator,
            shard=shard,
            parallel=arguments["parallel"],
            identities=identities,
            observe=observe,
            org_timeout=arguments["org_timeout"],
        )

    outcomes = anyio.run(scan)
    code = runner.exit_code(outcomes)
    if settings.output_format == "json":
        console.out_json(
            {
                "shard": str(shard),
                "exit_code": code,
                "targets": [_outcome_json(outcome) for outcome in outcomes],
            }
        )
    elif not quiet:
        scanned = sum(1 for outcome in outcomes if outcome.status == runner.SCANNED)
        console.out(f"shard {shard}: {scanned} of {len(outcomes)} orgs scanned into {console.field(out_dir)}/<org>/")
    return code


def _outcome_json(outcome: runner.TargetOutcome) -> dict[str, Any]:
    return {
        "name": outcome.name,
        "status": outcome.status,
        "exit_code": outcome.exit_code,
        "error": outcome.error,
        "requests_sent": outcome.requests_sent,
        "requests_refused": outcome.requests_refused,
    }
